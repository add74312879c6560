import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { writeResultFile } from '../../src/export/index.ts';
import { header, headerLine, invoices, tempDir, types, utc } from './fixtures.ts';

const dir = tempDir();

function entries(zip: string): string[] {
  return execFileSync('unzip', ['-Z1', zip], { encoding: 'utf8' }).trim().split('\n');
}

describe('zip result files', () => {
  it('pass unzip -t and hold exactly one <name>.csv with the csv bytes', async () => {
    const csv = join(dir, 'c.csv');
    const zip = join(dir, 'c.zip');
    const common = { header, types, options: utc };
    await writeResultFile({ ...common, rows: invoices(20_000), format: 'csv', entryName: 'x', path: csv });
    const r = await writeResultFile({
      ...common,
      rows: invoices(20_000),
      format: 'zip',
      entryName: 'Invoices',
      path: zip,
    });
    assert.equal(r.rows, 20_000);
    assert.equal(r.bytes, statSync(zip).size);
    execFileSync('unzip', ['-tq', zip]);
    assert.deepEqual(entries(zip), ['Invoices.csv']);
    assert.deepEqual(
      execFileSync('unzip', ['-p', zip, 'Invoices.csv'], { maxBuffer: 1 << 28 }),
      readFileSync(csv),
    );
  });

  it('keep an entry name that already ends in .csv, and hold the header of an empty result', async () => {
    const zip = join(dir, 'e.zip');
    await writeResultFile({
      rows: [],
      header,
      types,
      options: utc,
      format: 'zip',
      entryName: 'Account.csv',
      path: zip,
    });
    execFileSync('unzip', ['-tq', zip]);
    assert.deepEqual(entries(zip), ['Account.csv']);
    assert.equal(execFileSync('unzip', ['-p', zip, 'Account.csv'], { encoding: 'utf8' }), headerLine);
  });
});
