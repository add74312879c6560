import type { FileFormat } from './sink.ts';

const TYPES: Record<FileFormat, string> = {
  csv: 'text/csv;charset=UTF-8',
  zip: 'application/zip;charset=UTF-8',
  gzip: 'application/x-gzip;charset=UTF-8',
};

/**
 * The Content-Type of a result file (CONTRACT 2.5).
 * @example contentTypeFor('gzip', 'none') === 'application/x-gzip;charset=UTF-8'
 */
export function contentTypeFor(format: string, encrypted: string | boolean): string {
  if (encrypted === true || (typeof encrypted === 'string' && encrypted.toLowerCase() === 'pgp')) {
    return 'application/pgp-encrypted';
  }
  return TYPES[format.toLowerCase() as FileFormat] ?? TYPES.csv;
}
