import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { loadCsv, loadCsvStream } from '../../src/load/index.ts';
import { query, tempDir, tempStore } from '../store/temp-store.ts';

const A = 'a'.repeat(32);

describe('CSV loading', () => {
  it('reads quoted commas, quotes, newlines, CRLF, a BOM and any script; empty fields are null', async () => {
    const { store, done } = tempStore();
    const { dir, cleanup } = tempDir();
    try {
      const file = path.join(dir, 'accounts.csv');
      fs.writeFileSync(
        file,
        '\ufeffId,Name,Balance,AutoPay,CreatedDate,LastInvoiceDate\r\n' +
          `${A},"Acme, ""Inc""\nsecond line",77.86,true,2024-03-10T02:30:00,2024-02-29\r\n` +
          ',Zoë 中文 😀,,,,\r\n',
      );
      assert.deepEqual(await loadCsv(store, 'Account', file), { rows: 2, inserted: 2, updated: 0 });
      assert.deepEqual(
        query(
          store,
          'SELECT "Name", CAST("Balance" AS DOUBLE PRECISION), "AutoPay", "CreatedDate", "LastInvoiceDate" FROM "Account" ORDER BY "Name"',
        ),
        [
          ['Acme, "Inc"\nsecond line', 77.86, 1, Date.UTC(2024, 2, 10, 10, 30), '2024-02-29'],
          ['Zoë 中文 😀', null, null, Date.UTC(2024, 0, 15, 12), null],
        ],
      );
    } finally {
      cleanup();
      done();
    }
  });

  it('takes headers qualified the way AQuA exports write them, ignoring case', async () => {
    const { store, done } = tempStore();
    try {
      const csv =
        'InvoiceItem.Id,invoiceitem.ChargeAmount,ChargeName,INVOICEITEM.chargedate\n' +
        `${A},-11095,"Fee, ""x""",2024-01-01T00:00:00-0800\n`;
      assert.deepEqual(await loadCsvStream(store, 'invoiceitem', Readable.from([csv])), {
        rows: 1,
        inserted: 1,
        updated: 0,
      });
      assert.deepEqual(
        query(
          store,
          'SELECT "Id", CAST("ChargeAmount" AS DOUBLE PRECISION), "ChargeName", "ChargeDate" FROM "InvoiceItem"',
        ),
        [[A, -11095, 'Fee, "x"', Date.UTC(2024, 0, 1, 8)]],
      );
    } finally {
      done();
    }
  });

  it('upserts by Id in one change: known Ids are updated, the rest created', async () => {
    const { store, done } = tempStore();
    try {
      store.create('Contact', { Id: A, FirstName: 'Old', LastName: 'Name', City: 'Paris' });
      const csv = `Id,FirstName,LastName\n${A},New,Name\n,Ann,Lee\n,Bo,\n`;
      assert.deepEqual(await loadCsvStream(store, 'Contact', Readable.from([csv])), {
        rows: 3,
        inserted: 2,
        updated: 1,
      });
      assert.deepEqual(
        query(store, 'SELECT "FirstName", "LastName", "City", "_seq" FROM "Contact" ORDER BY "FirstName"'),
        [
          ['Ann', 'Lee', null, 2],
          ['Bo', null, null, 2],
          ['New', 'Name', 'Paris', 2],
        ],
      );
    } finally {
      done();
    }
  });

  it('counts no rows and writes nothing for a header alone, and skips blank lines', async () => {
    const { store, done } = tempStore();
    try {
      assert.deepEqual(await loadCsvStream(store, 'Account', Readable.from(['Id,Name\n'])), {
        rows: 0,
        inserted: 0,
        updated: 0,
      });
      assert.deepEqual(await loadCsvStream(store, 'Account', Readable.from(['Name\n\nA\n\n'])), {
        rows: 1,
        inserted: 1,
        updated: 0,
      });
    } finally {
      done();
    }
  });
});
