import { Duplex } from 'node:stream';
import type { ReadableStream as WebReadable } from 'node:stream/web';

/**
 * Encrypt a result file to OpenPGP public keys (AQuA's `encrypted: 'pgp'`).
 * @example const encryption: PgpEncryption = { publicKeys: tenant.pgpPublicKey, armored: false };
 */
export interface PgpEncryption {
  /** Armored OpenPGP public key(s) of the recipient. */
  publicKeys: string | readonly string[];
  /** ASCII armor (`-----BEGIN PGP MESSAGE-----`) instead of binary packets; default false. */
  armored?: boolean;
}

/**
 * A duplex stream taking plain bytes and giving the OpenPGP message that encrypts them, both
 * sides streaming with backpressure.
 * @example pipeline(gzip, await encryptingStream({ publicKeys: armoredKey }), file)
 */
export async function encryptingStream(encryption: PgpEncryption): Promise<Duplex> {
  // Loaded on first use: most exports are never encrypted and the library is large.
  const openpgp = await import('openpgp');
  const armoredKeys =
    typeof encryption.publicKeys === 'string' ? [encryption.publicKeys] : encryption.publicKeys;
  if (armoredKeys.length === 0) throw new Error('PGP encryption needs at least one public key');
  const encryptionKeys = await Promise.all(armoredKeys.map((armoredKey) => openpgp.readKey({ armoredKey })));
  const plain = new TransformStream<Uint8Array, Uint8Array>();
  const message = await openpgp.createMessage({ binary: plain.readable });
  const encrypted = (
    encryption.armored
      ? await openpgp.encrypt({ message, encryptionKeys, format: 'armored' })
      : await openpgp.encrypt({ message, encryptionKeys, format: 'binary' })
  ) as ReadableStream<Uint8Array | string>;
  const bytes = encrypted.pipeThrough(
    new TransformStream<Uint8Array | string, Uint8Array>({
      transform: (chunk, out) => out.enqueue(typeof chunk === 'string' ? Buffer.from(chunk) : chunk),
    }),
  );
  return Duplex.fromWeb({
    readable: bytes as unknown as WebReadable<Uint8Array>,
    writable: plain.writable as unknown as import('node:stream/web').WritableStream<Uint8Array>,
  });
}
