/** OpenPGP keys made for a test, and decryption with openpgp and with GnuPG (gpg) in a throwaway home. */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as openpgp from 'openpgp';

export interface TestKeyPair {
  publicKey: string;
  privateKey: string;
}

/** A fresh unprotected key pair (Ed25519 signing, Curve25519 encryption subkey). */
export async function makeKeyPair(name = 'Result Files'): Promise<TestKeyPair> {
  const { publicKey, privateKey } = await openpgp.generateKey({
    type: 'ecc',
    curve: 'curve25519Legacy',
    userIDs: [{ name, email: 'files@example.com' }],
    format: 'armored',
  });
  return { publicKey, privateKey };
}

/** A key that can only sign (no encryption subkey). */
export async function makeSigningOnlyKey(): Promise<string> {
  const { publicKey } = await openpgp.generateKey({
    type: 'ecc',
    curve: 'curve25519Legacy',
    userIDs: [{ name: 'Signer' }],
    subkeys: [],
    format: 'armored',
  });
  return publicKey;
}

/** Decrypts a binary OpenPGP message with openpgp. */
export async function openpgpDecrypt(bytes: Uint8Array, privateKey: string): Promise<Buffer> {
  const decryptionKey = await openpgp.readPrivateKey({ armoredKey: privateKey });
  const message = await openpgp.readMessage({ binaryMessage: bytes });
  const { data } = await openpgp.decrypt({ message, decryptionKeys: decryptionKey, format: 'binary' });
  return Buffer.from(data as Uint8Array);
}

/** A GnuPG home holding one private key; `close` stops its agent and removes the directory. */
export interface GnupgHome {
  decrypt(bytes: Uint8Array): Promise<Buffer>;
  close(): void;
}

export function gnupgHome(privateKey: string): GnupgHome {
  const home = mkdtempSync(join(tmpdir(), 'openaqua-gpg-'));
  const keyFile = join(home, 'key.asc');
  writeFileSync(keyFile, privateKey);
  execFileSync('gpg', ['--batch', '--quiet', '--homedir', home, '--import', keyFile], { stdio: 'pipe' });
  return {
    decrypt: (bytes) =>
      new Promise((resolve, reject) => {
        const child = execFile(
          'gpg',
          ['--batch', '--quiet', '--homedir', home, '--decrypt'],
          { encoding: 'buffer', maxBuffer: 1 << 30 },
          (err, stdout, stderr) => {
            if (err) reject(new Error(`gpg --decrypt failed: ${stderr.toString()}`));
            else resolve(stdout);
          },
        );
        child.stdin!.end(Buffer.from(bytes));
      }),
    close: () => {
      try {
        execFileSync('gpgconf', ['--homedir', home, '--kill', 'gpg-agent'], { stdio: 'pipe' });
      } finally {
        rmSync(home, { recursive: true, force: true });
      }
    },
  };
}
