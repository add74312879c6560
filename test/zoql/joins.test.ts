import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileSqlite } from '../../src/store/sqlite/compile.ts';
import { analyze } from '../../src/zoql/index.ts';
import { insert, memoryDb, NOW, run, ZONE } from './db.ts';

function seed() {
  const db = memoryDb();
  insert(db, 'Contact', { Id: 'c1', FirstName: 'Ada', State: 'CA' });
  insert(db, 'Contact', { Id: 'c2', FirstName: 'Bob', State: 'NY' }, { deletedAt: NOW - 1 });
  insert(db, 'Account', { Id: 'a1', Name: 'Acme', BillToId: 'c1', ParentId: 'a2' });
  insert(db, 'Account', { Id: 'a2', Name: 'Parent', BillToId: 'c2' });
  insert(db, 'Account', { Id: 'a3', Name: 'Orphan', BillToId: 'missing' });
  insert(db, 'Invoice', { Id: 'i1', AccountId: 'a1', Amount: 100 });
  insert(db, 'Invoice', { Id: 'i2', AccountId: 'a2', Amount: 50 });
  insert(db, 'Invoice', { Id: 'i3', AccountId: 'gone', Amount: 5 });
  insert(db, 'InvoiceItem', { Id: 'ii1', InvoiceId: 'i1', ChargeName: 'x' });
  insert(db, 'InvoiceItem', { Id: 'ii2', InvoiceId: 'i2', ChargeName: 'y' });
  insert(db, 'InvoiceItem', { Id: 'ii3', InvoiceId: 'i3', ChargeName: 'z' });
  insert(db, 'InvoiceItem', { Id: 'ii4', InvoiceId: null, ChargeName: 'w' });
  return db;
}

describe('joined objects', () => {
  it('reads parents along to-one relations, with nulls for missing or deleted parents', () => {
    const db = seed();
    assert.deepEqual(
      run(db, 'select Id, BillToContact.FirstName, ParentAccount.Name from Account order by Id'),
      [
        ['a1', 'Ada', 'Parent'],
        ['a2', null, null],
        ['a3', null, null],
      ],
    );
  });

  it('follows multi-hop paths and agrees with the parents row by row', () => {
    const db = seed();
    const rows = run(
      db,
      'select Id, Invoice.Amount, Account.Name, BillToContact.State from InvoiceItem order by Id',
    );
    assert.deepEqual(rows, [
      ['ii1', 100, 'Acme', 'CA'],
      ['ii2', 50, 'Parent', null],
      ['ii3', 5, null, null],
      ['ii4', null, null, null],
    ]);
  });

  it('filters on joined fields; a missing parent never matches a value', () => {
    const db = seed();
    assert.deepEqual(run(db, "select Id from InvoiceItem where Account.Name = 'Acme'"), [['ii1']]);
    assert.deepEqual(run(db, "select Id from InvoiceItem where Account.Name != 'Acme' order by Id"), [
      ['ii2'],
    ]);
    assert.deepEqual(run(db, 'select Id from InvoiceItem where BillToContact.Id is null order by Id'), [
      ['ii2'],
      ['ii3'],
      ['ii4'],
    ]);
  });

  it('joins each table once when relations share a path prefix', () => {
    const q = compileSqlite(
      analyze('select Account.Name, BillToContact.FirstName, Invoice.Amount from InvoiceItem', 'zoqlexport'),
      { now: NOW, timeZone: ZONE },
    );
    assert.equal(q.sql.match(/LEFT JOIN "Invoice"/g)?.length, 1);
    assert.equal(q.sql.match(/LEFT JOIN "Account"/g)?.length, 1);
    assert.equal(q.sql.match(/LEFT JOIN "Contact"/g)?.length, 1);
    assert.deepEqual(q.params, []);
  });

  it('joins the same target object twice for two relations', () => {
    const db = seed();
    insert(db, 'Account', { Id: 'a4', Name: 'Two', BillToId: 'c1', SoldToId: 'c2' });
    assert.deepEqual(
      run(db, "select BillToContact.FirstName, SoldToContact.FirstName from Account where Id = 'a4'"),
      [['Ada', null]],
    );
  });

  it('expands Relation.* from the joined row', () => {
    const db = seed();
    const [row] = run(db, "select BillToContact.* from Account where Id = 'a1'");
    const q = analyze('select BillToContact.* from Account', 'zoqlexport');
    const firstName = q.columns.findIndex((c) => c.nameHeader === 'BillToContact.FirstName');
    assert.equal(row?.[firstName], 'Ada');
    assert.equal(row?.length, q.columns.length);
  });
});
