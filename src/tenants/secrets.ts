import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

const KEY_BYTES = 32;
const SALT_BYTES = 16;
/** scrypt cost: 2^14 with r=8 is the library default, about 16 MiB and tens of milliseconds. */
const SCRYPT_OPTIONS = { N: 16_384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

/** A secret as stored: scrypt of the secret with its own random salt. */
export interface SecretHash {
  salt: Buffer;
  hash: Buffer;
}

function derive(secret: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(secret, salt, KEY_BYTES, SCRYPT_OPTIONS, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/**
 * Hashes a secret with a fresh salt.
 * @example const { salt, hash } = await hashSecret('s3cret');
 */
export async function hashSecret(secret: string): Promise<SecretHash> {
  const salt = randomBytes(SALT_BYTES);
  return { salt, hash: await derive(secret, salt) };
}

/**
 * Whether `secret` matches a stored hash, compared in constant time.
 * @example await verifySecret('s3cret', await hashSecret('s3cret')) === true
 */
export async function verifySecret(secret: string, stored: SecretHash): Promise<boolean> {
  const key = await derive(secret, stored.salt);
  return key.length === stored.hash.length && timingSafeEqual(key, stored.hash);
}

let decoy: Promise<SecretHash> | undefined;

/**
 * A hash to check unknown identifiers against, so that a missing user costs as much as a wrong password.
 * @example await verifySecret(password, await decoyHash()) === false
 */
export function decoyHash(): Promise<SecretHash> {
  decoy ??= hashSecret(randomBytes(16).toString('hex'));
  return decoy;
}

/**
 * A random secret for passwords, client secrets and access tokens (URL-safe, no padding).
 * @example randomSecret(24).length === 32
 */
export function randomSecret(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

/**
 * The lookup key of an access token: tokens are random and long, so a plain sha256 suffices.
 * @example tokenHash('abc').length === 32
 */
export function tokenHash(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}
