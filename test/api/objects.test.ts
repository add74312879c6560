import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FixedClock } from '../../src/clock.ts';
import { ACCOUNT as REQUIRED } from './flows.ts';
import { call, startTestServer, type TestServer } from './server.ts';

const ACCOUNT = { ...REQUIRED, Name: 'Acme' };

describe('CRUD /v1/object', () => {
  const clock = new FixedClock(Date.UTC(2024, 5, 1, 12));
  let s: TestServer;
  let headers: Record<string, string>;
  before(async () => {
    s = await startTestServer({ clock });
    headers = { authorization: s.a.basic };
  });
  after(() => s.close());

  it('creates, retrieves, updates and deletes a record', async () => {
    const created = await call(`${s.url}/v1/object/account`, { method: 'POST', headers, body: ACCOUNT });
    assert.equal(created.status, 200);
    assert.deepEqual(Object.keys(created.body), ['Success', 'Id']);
    assert.equal(created.body.Success, true);
    const id: string = created.body.Id;
    assert.match(id, /^[0-9a-f]{32}$/);

    const got = await call(`${s.url}/v1/object/account/${id}`, { headers });
    assert.equal(got.status, 200);
    assert.deepEqual(got.body, {
      BillCycleDay: 1,
      CreatedDate: '2024-06-01T05:00:00-07:00',
      Currency: 'USD',
      Id: id,
      Name: 'Acme',
      PaymentTerm: 'Net 30',
      Status: 'Active',
      UpdatedDate: '2024-06-01T05:00:00-07:00',
    });

    clock.advance(60_000);
    const updated = await call(`${s.url}/v1/object/Account/${id}`, {
      method: 'PUT',
      headers,
      body: { name: 'Acme Corp', AutoPay: true },
    });
    assert.deepEqual(updated.body, { Success: true, Id: id });
    const after = await call(`${s.url}/apps/api/object/account/${id}`, { headers });
    assert.equal(after.body.Name, 'Acme Corp');
    assert.equal(after.body.AutoPay, true);
    assert.equal(after.body.UpdatedDate, '2024-06-01T05:01:00-07:00');
    assert.equal(after.body.CreatedDate, '2024-06-01T05:00:00-07:00');

    const deleted = await call(`${s.url}/v1/object/account/${id}`, { method: 'DELETE', headers });
    assert.equal(deleted.status, 200);
    assert.deepEqual(deleted.body, { success: true, id });
    const gone = await call(`${s.url}/v1/object/account/${id}`, { headers });
    assert.equal(gone.status, 404);
    assert.deepEqual(gone.body, {
      Success: false,
      Errors: [{ Code: 'INVALID_ID', Message: `no Account with Id ${id}` }],
    });
  });

  it("accepts Zuora's hyphenated object names", async () => {
    const account = await call(`${s.url}/v1/object/account`, { method: 'POST', headers, body: ACCOUNT });
    const method = await call(`${s.url}/v1/object/payment-method`, {
      method: 'POST',
      headers,
      body: { AccountId: account.body.Id, Type: 'CreditCard' },
    });
    assert.equal(method.status, 200);
    const got = await call(`${s.url}/v1/object/PaymentMethod/${method.body.Id}`, { headers });
    assert.equal(got.body.AccountId, account.body.Id);
  });

  it('answers bad values, unknown fields and a set Id with 400', async () => {
    const cases: [unknown, string, string][] = [
      [
        { ...ACCOUNT, BillCycleDay: 'first' },
        'INVALID_VALUE',
        "invalid integer 'first' for Account.BillCycleDay: expected a whole number such as 12",
      ],
      [{ ...ACCOUNT, Colour: 'red' }, 'INVALID_FIELD', "unknown field 'Colour' on Account"],
      [
        { ...ACCOUNT, Id: 'a'.repeat(32) },
        'INVALID_FIELD',
        'Id cannot be set; it is assigned when the record is created',
      ],
      [[ACCOUNT], 'INVALID_VALUE', 'the request body must be a JSON object'],
    ];
    for (const [body, code, message] of cases) {
      const res = await call(`${s.url}/v1/object/account`, { method: 'POST', headers, body });
      assert.equal(res.status, 400, message);
      assert.deepEqual(res.body, { Success: false, Errors: [{ Code: code, Message: message }] });
    }
  });

  it('answers an unknown object with 400 noSuchDataSource', async () => {
    const res = await call(`${s.url}/v1/object/widget`, { method: 'POST', headers, body: { Name: 'x' } });
    assert.equal(res.status, 400);
    assert.deepEqual(res.body, {
      Success: false,
      Errors: [{ Code: 'INVALID_VALUE', Message: 'noSuchDataSource: widget' }],
    });
  });

  it('answers unknown ids with 404 on read, update and delete', async () => {
    const id = 'f'.repeat(32);
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const res = await call(`${s.url}/v1/object/contact/${id}`, {
        method,
        headers,
        ...(method === 'PUT' ? { body: { FirstName: 'x' } } : {}),
      });
      assert.equal(res.status, 404, method);
      assert.deepEqual(res.body, {
        Success: false,
        Errors: [{ Code: 'INVALID_ID', Message: `no Contact with Id ${id}` }],
      });
    }
  });

  it("treats another tenant's record as unknown", async () => {
    const mine = await call(`${s.url}/v1/object/account`, { method: 'POST', headers, body: ACCOUNT });
    const id: string = mine.body.Id;
    const other = { authorization: s.b.basic };
    const expected = {
      Success: false,
      Errors: [{ Code: 'INVALID_ID', Message: `no Account with Id ${id}` }],
    };
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const res = await call(`${s.url}/v1/object/account/${id}`, {
        method,
        headers: other,
        ...(method === 'PUT' ? { body: { Name: 'stolen' } } : {}),
      });
      assert.equal(res.status, 404, method);
      assert.deepEqual(res.body, expected);
    }
    assert.equal((await call(`${s.url}/v1/object/account/${id}`, { headers })).body.Name, 'Acme');
  });
});
