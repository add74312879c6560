import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createAccount, pollJob, submitJob } from '../api/flows.ts';
import { call, startTestServer, type TestServer } from '../api/server.ts';
import { type GnupgHome, gnupgHome, makeKeyPair, openpgpDecrypt, type TestKeyPair } from './keys.ts';

const QUERY = 'select Id, Name, Currency from Account order by Name';

/** Bytes of a downloaded file and its Content-Type. */
async function fetchFile(s: TestServer, headers: Record<string, string>, fileId: string) {
  const res = await fetch(`${s.url}/v1/file/${fileId}`, { headers });
  assert.equal(res.status, 200);
  return { contentType: res.headers.get('content-type'), bytes: Buffer.from(await res.arrayBuffer()) };
}

/** The one CSV entry of a zip archive. */
function unzipEntry(zip: Buffer, name: string): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'openaqua-zip-'));
  try {
    const file = join(dir, 'f.zip');
    writeFileSync(file, zip);
    assert.equal(execFileSync('unzip', ['-Z1', file]).toString(), `${name}\n`);
    return execFileSync('unzip', ['-p', file, name]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('encrypted:"pgp" jobs over HTTP: every file is an OpenPGP message of the same bytes', () => {
  let s: TestServer;
  let keys: TestKeyPair;
  let gpg: GnupgHome;
  let headers: Record<string, string>;

  before(async () => {
    s = await startTestServer();
    keys = await makeKeyPair();
    gpg = gnupgHome(keys.privateKey);
    headers = { authorization: s.a.basic };
    for (const name of ['Zeta "Z" Corp', 'Alpha, Inc.', 'Émile & fils'])
      await createAccount(s, headers, name);
  });
  after(async () => {
    gpg.close();
    await s.close();
  });

  it('refuses pgp with HTTP 400 while the tenant has no key, naming the command that registers one', async () => {
    const res = await call(`${s.url}/v1/batch-query/`, {
      method: 'POST',
      headers,
      body: {
        format: 'csv',
        encrypted: 'pgp',
        queries: [{ name: 'accounts', query: QUERY, type: 'zoqlexport' }],
      },
    });
    assert.equal(res.status, 400);
    assert.deepEqual(res.body, {
      success: false,
      code: 50000090,
      message:
        'encrypted: no PGP key is registered for the tenant, so pgp cannot be used; register one with: openaqua tenant pgp-key alpha <public-key.asc>',
    });
  });

  for (const format of ['csv', 'gzip', 'zip'] as const) {
    it(`${format}: Content-Type application/pgp-encrypted; openpgp and gpg both decrypt to the unencrypted file`, async () => {
      const { key } = await s.tenants.setPgpKey('alpha', keys.publicKey);
      assert.match(key.fingerprint, /^[0-9A-F]{40}$/);
      const body = (encrypted: string) => ({
        format,
        encrypted,
        queries: [{ name: 'accounts', query: QUERY, type: 'zoqlexport' }],
      });
      const sealed = await submitJob(s, headers, body('PGP'));
      assert.equal(sealed.encrypted, 'pgp');
      const plain = await submitJob(s, headers, body('none'));
      assert.equal(plain.encrypted, 'none');
      const sealedJob = await pollJob(s, headers, sealed.id);
      const plainJob = await pollJob(s, headers, plain.id);
      assert.equal(sealedJob.status, 'completed');
      assert.equal(sealedJob.encrypted, 'pgp');
      assert.equal(sealedJob.batches[0].recordCount, 3);

      const enc = await fetchFile(s, headers, sealedJob.batches[0].fileId);
      const clear = await fetchFile(s, headers, plainJob.batches[0].fileId);
      assert.equal(enc.contentType, 'application/pgp-encrypted');
      assert.equal(
        clear.contentType,
        {
          csv: 'text/csv;charset=UTF-8',
          gzip: 'application/x-gzip;charset=UTF-8',
          zip: 'application/zip;charset=UTF-8',
        }[format],
      );
      // A binary OpenPGP message (not armored text): the first packet is a public-key encrypted session key.
      assert.notEqual(enc.bytes.subarray(0, 5).toString('latin1'), '-----');
      assert.equal(enc.bytes[0]! & 0x80, 0x80);
      assert.equal(enc.bytes.includes(Buffer.from('Alpha, Inc.')), false);

      const byOpenpgp = await openpgpDecrypt(enc.bytes, keys.privateKey);
      const byGpg = await gpg.decrypt(enc.bytes);
      assert.deepEqual(byGpg, byOpenpgp);
      const expectedCsv = csvOf(clear.bytes, format);
      if (format === 'zip') {
        // Archives differ only in the entry's modification time; the CSV inside is the same.
        assert.equal(byGpg.length, clear.bytes.length);
        assert.deepEqual(unzipEntry(byGpg, 'accounts.csv'), expectedCsv);
      } else {
        assert.deepEqual(byGpg, clear.bytes);
      }
      assert.equal(
        expectedCsv.toString('utf8').replace(/^[0-9a-f]{32},/gm, '<id>,'),
        'Account: ID,Account: Name,Account: Currency\n' +
          '<id>,"Alpha, Inc.",USD\n<id>,"Zeta ""Z"" Corp",USD\n<id>,Émile & fils,USD\n',
      );
    });
  }
});

function csvOf(bytes: Buffer, format: 'csv' | 'gzip' | 'zip'): Buffer {
  if (format === 'csv') return bytes;
  if (format === 'gzip') return execFileSync('gzip', ['-dc'], { input: bytes });
  return unzipEntry(bytes, 'accounts.csv');
}
