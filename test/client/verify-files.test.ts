import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import yazl from 'yazl';
import { resultFileName } from '../../src/client/file-names.ts';
import { VerifyError, verifyResultFile } from '../../src/client/verify.ts';

const CSV = 'Account: Name,Account: Balance\n"Acme, Inc.",10\nGlobex,0\n';

function zipOf(name: string, text: string): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  zip.addBuffer(Buffer.from(text), name);
  zip.end();
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
  });
}

describe('result file verification', () => {
  const dir = mkdtempSync(join(tmpdir(), 'openaqua-verify-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, bytes: Buffer | string) => {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return path;
  };

  it('counts the data rows of sound csv, gzip and zip files', async () => {
    assert.equal(await verifyResultFile(file('a.csv', CSV), 'CSV'), 2);
    assert.equal(await verifyResultFile(file('a.csv.gz', gzipSync(CSV)), 'GZIP'), 2);
    assert.equal(await verifyResultFile(file('a.zip', await zipOf('a.csv', CSV)), 'ZIP'), 2);
  });

  it('refuses a ragged CSV, a cut gzip file, and a zip whose data does not match its CRC', async () => {
    await assert.rejects(
      verifyResultFile(file('r.csv', 'A,B\n1,2\n3\n'), 'CSV'),
      new VerifyError('r.csv', 'row 2 has 1 fields, the header 2'),
    );
    const gz = gzipSync(CSV);
    await assert.rejects(
      verifyResultFile(file('cut.csv.gz', gz.subarray(0, gz.length - 8)), 'GZIP'),
      VerifyError,
    );
    const zip = await zipOf('z.csv', CSV);
    const broken = Buffer.from(zip);
    // yazl stores this small entry deflated right after the 30-byte local header and its name.
    broken[30 + 'z.csv'.length + 2]! ^= 0xff;
    await assert.rejects(verifyResultFile(file('z.zip', broken), 'ZIP'), VerifyError);
    await assert.rejects(
      verifyResultFile(file('t.zip', readFileSync(join(dir, 'a.csv'))), 'ZIP'),
      new VerifyError('t.zip', 'no end of central directory record'),
    );
  });

  it('names files <batch>.<ext>, segments <batch>.<n>.<ext>', () => {
    assert.equal(resultFileName('invoices', 'CSV'), 'invoices.csv');
    assert.equal(resultFileName('invoices', 'GZIP'), 'invoices.csv.gz');
    assert.equal(resultFileName('invoices', 'ZIP'), 'invoices.zip');
    assert.equal(resultFileName('Account', 'CSV', { segment: 2 }), 'Account.2.csv');
    assert.equal(resultFileName('Account', 'gzip', { encrypted: true }), 'Account.csv.gz.pgp');
    assert.equal(resultFileName('../etc/passwd', 'CSV'), '__etc_passwd.csv');
  });
});
