/** HTML that is already safe to write: built by `html`, never from a bare string. */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Text as HTML: `& < > " '` replaced by entities, so it is safe in content and in quoted attributes.
 * @example escapeHtml('<script>') === '&lt;script&gt;'
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

function part(value: unknown): string {
  if (value instanceof Html) return value.text;
  if (Array.isArray(value)) return value.map(part).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
}

/**
 * A template whose every interpolated value is escaped, except values that are themselves `Html`
 * (arrays are joined, null, undefined and false write nothing).
 * @example html`<td>${job.name}</td>`.text // '<td>&lt;b&gt;</td>' for the name '<b>'
 */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0]!;
  for (const [i, v] of values.entries()) out += part(v) + strings[i + 1]!;
  return new Html(out);
}
