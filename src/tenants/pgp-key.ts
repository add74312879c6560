import { TenantError } from './types.ts';

/** An OpenPGP public key checked to be usable for encrypting result files. */
export interface PgpPublicKey {
  /** Hex fingerprint of the primary key, upper case. */
  readonly fingerprint: string;
  /** The public key, ASCII-armored as openpgp writes it. */
  readonly armored: string;
  /** The user ids on the key (`Name <email>`). */
  readonly userIds: readonly string[];
}

const ARMOR_HEADER = '-----BEGIN PGP PUBLIC KEY BLOCK-----';

/**
 * Reads an ASCII-armored OpenPGP public key and checks that it can encrypt now (it has a valid,
 * unexpired, unrevoked encryption key). Throws TenantError saying what is wrong otherwise; a private
 * key is refused so that one is never stored by mistake.
 * @example const key = await readPgpPublicKey(readFileSync('acme.asc', 'utf8')); key.fingerprint.length === 40
 */
export async function readPgpPublicKey(text: string): Promise<PgpPublicKey> {
  if (text.includes('-----BEGIN PGP PRIVATE KEY BLOCK-----')) {
    throw new TenantError(
      'this is a private key; register the public key only (gpg --armor --export <key id>)',
    );
  }
  if (!text.includes(ARMOR_HEADER)) {
    throw new TenantError(
      `not an ASCII-armored OpenPGP public key (expected a '${ARMOR_HEADER}' block; gpg --armor --export <key id> writes one)`,
    );
  }
  // Loaded on first use: the library is large and most commands never need it.
  const openpgp = await import('openpgp');
  let key: Awaited<ReturnType<typeof openpgp.readKey>>;
  try {
    key = await openpgp.readKey({ armoredKey: text });
  } catch (e) {
    throw new TenantError(`not a valid OpenPGP public key: ${(e as Error).message}`);
  }
  if (key.isPrivate()) throw new TenantError('this is a private key; register the public key only');
  try {
    await key.getEncryptionKey();
  } catch (e) {
    throw new TenantError(`the key cannot be used to encrypt: ${(e as Error).message}`);
  }
  return { fingerprint: key.getFingerprint().toUpperCase(), armored: key.armor(), userIds: key.getUserIDs() };
}
