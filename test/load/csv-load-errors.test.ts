import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { RecordError } from '../../src/errors.ts';
import { loadCsv, loadCsvStream } from '../../src/load/index.ts';
import { query, tempStore } from '../store/temp-store.ts';

async function refused(
  object: string,
  csv: string,
  code: RecordError['code'],
  message: string,
): Promise<void> {
  const { store, done } = tempStore();
  try {
    await assert.rejects(loadCsvStream(store, object, Readable.from([csv])), (e: unknown) => {
      assert.ok(e instanceof RecordError);
      assert.equal(e.message, message);
      assert.equal(e.code, code);
      return true;
    });
    assert.deepEqual(query(store, `SELECT count(*) FROM "${object}"`), [[0]]);
    assert.equal(
      store.snapshot((s) => s.seq),
      0,
    );
  } finally {
    done();
  }
}

describe('CSV loading errors', () => {
  it('name the row (header = row 1) and field of a bad value, and write nothing', async () => {
    const rows = Array.from({ length: 2500 }, (_, i) => `n${i},${i}`).join('\n');
    await refused(
      'Account',
      `Name,BillCycleDay\n${rows}\nbad,1.5\n`,
      'INVALID_VALUE',
      "row 2502: invalid integer '1.5' for Account.BillCycleDay: expected a whole number such as 12",
    );
    await refused(
      'Account',
      'Name,Status\nA,Active\nB,Open\n',
      'INVALID_VALUE',
      "row 3: invalid picklist 'Open' for Account.Status: expected one of 'Draft', 'Active', 'Canceled'",
    );
    await refused(
      'Account',
      'Id,Name\nXYZ,A\n',
      'INVALID_VALUE',
      "row 2: invalid Id 'XYZ' for Account: expected 32 lowercase hexadecimal characters",
    );
  });

  it('refuse unknown, foreign and repeated columns before reading rows', async () => {
    await refused(
      'Account',
      'Name,Colour\nA,red\n',
      'INVALID_FIELD',
      "row 1: column 2 'Colour': unknown field 'Colour' on Account",
    );
    await refused(
      'InvoiceItem',
      'InvoiceItem.Id,Invoice.Amount\n',
      'INVALID_FIELD',
      "row 1: column 2 'Invoice.Amount' names a field of Invoice, not of InvoiceItem",
    );
    await refused(
      'Account',
      'Name,account.name\n',
      'INVALID_FIELD',
      "row 1: column 2 'account.name': field Name is given twice",
    );
  });

  it('refuse rows whose field count differs from the header, and broken quoting', async () => {
    await refused(
      'Account',
      'Name,Balance\nA,1\nB\n',
      'INVALID_VALUE',
      'row 3: Invalid Record Length: expect 2, got 1 on line 3',
    );
    await refused(
      'Account',
      'Name,Balance\nA,1\n"B,2\n',
      'INVALID_VALUE',
      'row 3: Quote Not Closed: the parsing is finished with an opening quote at line 3',
    );
  });

  it('refuse an empty file, an unknown object and a missing file', async () => {
    await refused('Account', '', 'INVALID_FIELD', 'the file has no header row');
    const { store, done } = tempStore();
    try {
      await assert.rejects(loadCsvStream(store, 'Nope', Readable.from(['Id\n'])), {
        code: 'INVALID_TYPE',
        message: "unknown object 'Nope'",
      });
      await assert.rejects(loadCsv(store, 'Account', '/nonexistent/file.csv'), { code: 'ENOENT' });
      // The failed loads left the store usable.
      store.create('Account', { Name: 'after' });
      assert.deepEqual(query(store, 'SELECT count(*) FROM "Account"'), [[1]]);
    } finally {
      done();
    }
  });
});
