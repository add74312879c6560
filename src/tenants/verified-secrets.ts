import { createHash, timingSafeEqual } from 'node:crypto';
import { VERIFIED_SECRET_CACHE_SIZE, VERIFIED_SECRET_TTL_SECONDS } from '../limits.ts';

interface Entry {
  /** sha256(salt ‖ secret): proves the same secret was presented, without keeping it. */
  digest: Buffer;
  /** The stored scrypt hash at verification time: a changed credential invalidates the entry. */
  storedHash: Buffer;
  expiresAt: number;
}

function digestOf(salt: Buffer, secret: string): Buffer {
  return createHash('sha256').update(salt).update(secret, 'utf8').digest();
}

/**
 * Credentials recently verified with scrypt. HTTP Basic sends the password on every request, and a
 * deliberately slow hash per status poll would starve the server; a verified secret is trusted for
 * VERIFIED_SECRET_TTL_SECONDS, and only while the stored credential is unchanged.
 * @example if (!cache.has(key, cred, secret, now)) { verify slowly; cache.remember(key, cred, secret, now); }
 */
export class VerifiedSecrets {
  private readonly entries = new Map<string, Entry>();

  has(key: string, stored: { salt: Buffer; hash: Buffer }, secret: string, now: number): boolean {
    const e = this.entries.get(key);
    if (!e) return false;
    if (e.expiresAt <= now || !e.storedHash.equals(stored.hash)) {
      this.entries.delete(key);
      return false;
    }
    return timingSafeEqual(e.digest, digestOf(stored.salt, secret));
  }

  remember(key: string, stored: { salt: Buffer; hash: Buffer }, secret: string, now: number): void {
    if (this.entries.size >= VERIFIED_SECRET_CACHE_SIZE)
      this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, {
      digest: digestOf(stored.salt, secret),
      storedHash: Buffer.from(stored.hash),
      expiresAt: now + VERIFIED_SECRET_TTL_SECONDS * 1000,
    });
  }
}
