/**
 * The file name a result file is saved under: `<batch name>.<csv|csv.gz|zip>`, a segment
 * `<batch name>.<n>.<ext>` (n from 1), `.pgp` added to an encrypted file. Characters that cannot stand in a
 * file name become `_`.
 * @example resultFileName('invoices', 'GZIP') === 'invoices.csv.gz'
 * @example resultFileName('Account', 'CSV', { segment: 2 }) === 'Account.2.csv'
 */
export function resultFileName(
  batchName: string,
  format: string,
  opts: { segment?: number; encrypted?: boolean } = {},
): string {
  const ext = { csv: 'csv', gzip: 'csv.gz', zip: 'zip' }[format.toLowerCase()] ?? 'csv';
  const safe = batchName.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_') || 'query';
  const segment = opts.segment === undefined ? '' : `.${opts.segment}`;
  return `${safe}${segment}.${ext}${opts.encrypted ? '.pgp' : ''}`;
}
