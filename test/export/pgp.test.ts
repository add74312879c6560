import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as openpgp from 'openpgp';
import { type FileFormat, writeResultFile, writeSegmentedFiles } from '../../src/export/index.ts';
import { header, invoices, tempDir, types, utc } from './fixtures.ts';

const dir = tempDir();
const home = join(dir, 'gnupg');
let publicKey = '';
let privateKey = '';

async function decryptWithOpenpgp(path: string): Promise<Buffer> {
  const raw = readFileSync(path);
  const message =
    raw.subarray(0, 5).toString('latin1') === '-----'
      ? await openpgp.readMessage({ armoredMessage: raw.toString('utf8') })
      : await openpgp.readMessage({ binaryMessage: raw });
  const key = await openpgp.readPrivateKey({ armoredKey: privateKey });
  const { data } = await openpgp.decrypt({ message, decryptionKeys: key, format: 'binary' });
  return Buffer.from(data as Uint8Array);
}

function decryptWithGpg(path: string): Buffer {
  return execFileSync('gpg', ['--homedir', home, '--batch', '--quiet', '--decrypt', path], {
    maxBuffer: 1 << 28,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

describe('PGP-encrypted result files', () => {
  // gpg starts an agent for the temporary home; it must not outlive the test.
  after(() => execFileSync('gpgconf', ['--homedir', home, '--kill', 'gpg-agent'], { stdio: 'ignore' }));

  before(async () => {
    const key = await openpgp.generateKey({
      type: 'ecc',
      curve: 'curve25519Legacy',
      userIDs: [{ name: 'Tenant', email: 'tenant@example.com' }],
      format: 'armored',
    });
    publicKey = key.publicKey;
    privateKey = key.privateKey;
    mkdirSync(home, { mode: 0o700 });
    writeFileSync(join(dir, 'private.asc'), privateKey);
    execFileSync('gpg', ['--homedir', home, '--batch', '--quiet', '--import', join(dir, 'private.asc')], {
      stdio: 'ignore',
    });
  });

  for (const format of ['csv', 'gzip', 'zip'] as FileFormat[]) {
    it(`decrypt with gpg and openpgp to the plain ${format} bytes`, async () => {
      const common = { header, types, options: utc, format, entryName: 'Invoice' };
      const plain = join(dir, `plain.${format}`);
      const sealed = join(dir, `sealed.${format}.pgp`);
      await writeResultFile({ ...common, rows: invoices(20_000), path: plain });
      const r = await writeResultFile({
        ...common,
        rows: invoices(20_000),
        path: sealed,
        encryption: { publicKeys: publicKey },
      });
      assert.equal(r.rows, 20_000);
      assert.equal(r.bytes, statSync(sealed).size);
      const expected = readFileSync(plain);
      if (format === 'zip') {
        // A zip stamps its entry with the time it was written: compare what it holds.
        const open = (p: string) => execFileSync('unzip', ['-p', p, 'Invoice.csv'], { maxBuffer: 1 << 28 });
        writeFileSync(join(dir, 'gpg.zip'), decryptWithGpg(sealed));
        writeFileSync(join(dir, 'openpgp.zip'), await decryptWithOpenpgp(sealed));
        assert.deepEqual(open(join(dir, 'gpg.zip')), open(plain));
        assert.deepEqual(open(join(dir, 'openpgp.zip')), open(plain));
      } else {
        assert.deepEqual(decryptWithGpg(sealed), expected);
        assert.deepEqual(await decryptWithOpenpgp(sealed), expected);
      }
    });
  }

  it('write an armored message when asked', async () => {
    const sealed = join(dir, 'armored.csv.asc');
    const plain = join(dir, 'armored-plain.csv');
    const common = { header, types, options: utc, format: 'csv' as const, entryName: 'a' };
    await writeResultFile({ ...common, rows: invoices(100), path: plain });
    await writeResultFile({
      ...common,
      rows: invoices(100),
      path: sealed,
      encryption: { publicKeys: [publicKey], armored: true },
    });
    assert.match(readFileSync(sealed, 'utf8'), /^-----BEGIN PGP MESSAGE-----\n/);
    assert.deepEqual(decryptWithGpg(sealed), readFileSync(plain));
    assert.deepEqual(await decryptWithOpenpgp(sealed), readFileSync(plain));
  });

  it('encrypt every segment on its own', async () => {
    const { files } = await writeSegmentedFiles({
      header,
      types,
      options: utc,
      format: 'gzip',
      entryName: 's',
      rows: invoices(25),
      maxRows: 10,
      pathFor: (i) => join(dir, `seg${i}.gz.pgp`),
      encryption: { publicKeys: publicKey },
    });
    const rows = files.map((f) => {
      const csv = execFileSync('gzip', ['-dc'], { input: decryptWithGpg(f.path), encoding: 'utf8' });
      return csv.trimEnd().split(/\n(?=id)/).length - 1;
    });
    assert.deepEqual(rows, [10, 10, 5]);
  });

  it('removes the partial encrypted file on abort', async () => {
    const path = join(dir, 'aborted.gz.pgp');
    const ctl = new AbortController();
    function* rows() {
      for (let i = 0; ; i++) {
        if (i === 50_000) ctl.abort();
        yield [`id${i}`, 'x', 1, 0];
      }
    }
    await assert.rejects(
      writeResultFile({
        header,
        types,
        options: utc,
        format: 'gzip',
        entryName: 'x',
        rows: rows(),
        path,
        signal: ctl.signal,
        encryption: { publicKeys: publicKey },
      }),
      { name: 'AbortError' },
    );
    assert.throws(() => statSync(path), { code: 'ENOENT' });
  });

  it('refuses a key that is not an OpenPGP public key, writing nothing', async () => {
    const path = join(dir, 'bad-key.csv');
    await assert.rejects(
      writeResultFile({
        header,
        types,
        options: utc,
        format: 'csv',
        entryName: 'x',
        rows: invoices(5),
        path,
        encryption: { publicKeys: 'not a key' },
      }),
      /Misformed armored text/,
    );
    assert.throws(() => statSync(path), { code: 'ENOENT' });
  });
});
