import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exportableFields, getObject } from '../../src/schema/index.ts';
import { analyze } from '../../src/zoql/index.ts';
import { assertQueryError } from './errors.ts';

const names = (text: string) => analyze(text, 'zoqlexport').columns.map((c) => c.nameHeader);

describe('name resolution', () => {
  it('resolves names in any case to canonical API casing', () => {
    assert.deepEqual(names('select account.mrr, NAME, billtocontact.firstname from ACCOUNT'), [
      'Account.Mrr',
      'Account.Name',
      'BillToContact.FirstName',
    ]);
    assert.equal(analyze('select id from invoiceitem', 'zoqlexport').object.name, 'InvoiceItem');
  });

  it('names base fields with the base object whether written bare or qualified', () => {
    assert.deepEqual(names('select Name, Account.Name from Account'), ['Account.Name', 'Account.Name']);
  });

  it('reaches joined objects along to-one relations, in order of first use', () => {
    const q = analyze(
      'select BillToContact.FirstName, Account.Name, Invoice.Amount from InvoiceItem',
      'zoqlexport',
    );
    assert.deepEqual(
      q.relations.map((r) => r.name),
      ['BillToContact', 'Account', 'Invoice'],
    );
  });

  it('expands * to the exportable fields of the base, in describe order', () => {
    const account = getObject('Account')!;
    const expected = exportableFields(account).map((f) => `Account.${f.name}`);
    assert.deepEqual(names('select * from Account'), expected);
    assert.ok(!expected.includes('Account.BillToId'));
    assert.deepEqual(names('select account.* from Account'), expected);
  });

  it('expands Relation.* to the exportable fields of the joined object', () => {
    const contact = getObject('Contact')!;
    assert.deepEqual(names('select Id, billtocontact.* from Account'), [
      'Account.Id',
      ...exportableFields(contact).map((f) => `BillToContact.${f.name}`),
    ]);
  });

  it('combines * with joined fields as real clients do', () => {
    const cols = names('select *, BillToContact.Id, ParentAccount.Id from Account');
    assert.deepEqual(cols.slice(-2), ['BillToContact.Id', 'ParentAccount.Id']);
  });

  it('refuses unknown objects, fields and relations', () => {
    assertQueryError('select Name from Acount', 'zoqlexport', "unknown object 'Acount'", 1, 18);
    assertQueryError('select Foo from Account', 'zoqlexport', "unknown field 'Foo' on Account", 1, 8);
    assertQueryError(
      'select BillToContact.Foo from Account',
      'zoqlexport',
      "unknown field 'Foo' on BillToContact",
      1,
      22,
    );
    assertQueryError(
      'select Invoice.Amount from Account',
      'zoqlexport',
      "'Invoice' is neither Account nor an object joined to it",
      1,
      8,
    );
    assertQueryError(
      'select Foo.* from Account',
      'zoqlexport',
      "'Foo' is neither Account nor an object joined to it",
      1,
      8,
    );
    assertQueryError(
      "select Id from Account where Foo = 'x'",
      'zoqlexport',
      "unknown field 'Foo' on Account",
      1,
      30,
    );
  });

  it('does not join children: a child object is no relation of its parent', () => {
    assertQueryError(
      'select InvoiceItem.Id from Invoice',
      'zoqlexport',
      "'InvoiceItem' is neither Invoice nor an object joined to it",
      1,
      8,
    );
  });

  it('allows only exportable fields in Export ZOQL', () => {
    assertQueryError(
      'select BillToId from Account',
      'zoqlexport',
      "field 'BillToId' of Account cannot be exported",
      1,
      8,
    );
    assertQueryError(
      "select Id from Account where BillToId = 'x'",
      'zoqlexport',
      "field 'BillToId' of Account cannot be exported",
      1,
      30,
    );
    assertQueryError(
      'select Invoice.AccountId from InvoiceItem',
      'zoqlexport',
      "field 'AccountId' of Invoice cannot be exported",
      1,
      16,
    );
  });

  it('allows only selectable fields in ZOQL select and filterable fields in ZOQL where', () => {
    assert.deepEqual(
      analyze('select BillToId from Account', 'zoql').columns.map((c) => c.nameHeader),
      ['Account.BillToId'],
    );
    assertQueryError(
      'select SubscriptionRatePlanNumber from RatePlan',
      'zoql',
      "field 'SubscriptionRatePlanNumber' of RatePlan cannot be selected with ZOQL",
      1,
      8,
    );
    assertQueryError(
      "select Id from RatePlan where ExternallyManagedPlanId = 'x'",
      'zoql',
      "field 'ExternallyManagedPlanId' of RatePlan cannot be used in a ZOQL where clause",
      1,
      31,
    );
  });
});
