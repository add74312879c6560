const NEEDS_WORK = /[",\r\n\0]/;

/**
 * One CSV field per RFC 4180: quoted when it holds `,` `"` CR or LF, inner quotes doubled.
 * NUL characters are never written.
 * @example csvField('say "hi", then go') === '"say ""hi"", then go"'
 */
export function csvField(text: string): string {
  if (!NEEDS_WORK.test(text)) return text;
  const clean = text.includes('\0') ? text.replaceAll('\0', '') : text;
  if (!/[",\r\n]/.test(clean)) return clean;
  return `"${clean.replaceAll('"', '""')}"`;
}

/**
 * A CSV line (ending in `\n`) of already formatted fields.
 * @example csvLine(['a', 'b,c']) === 'a,"b,c"\n'
 */
export function csvLine(fields: readonly string[]): string {
  return `${fields.map(csvField).join(',')}\n`;
}
