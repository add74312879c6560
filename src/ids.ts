import { randomBytes } from 'node:crypto';

/**
 * A new 32-character lowercase hex id from a cryptographic random source (jobs, batches, files, records).
 * @example /^[0-9a-f]{32}$/.test(newId())
 */
export function newId(): string {
  return randomBytes(16).toString('hex');
}
