import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { escapeXml } from '../../src/api/describe-xml.ts';
import { objects } from '../../src/schema/index.ts';
import { call, startTestServer, type TestServer } from './server.ts';

interface Node {
  name: string;
  attrs: Record<string, string>;
  children: Node[];
  text: string;
}

/** Just enough XML reading for describe: elements, attributes, text, the five entities. */
function parseXml(xml: string): Node {
  const decode = (s: string) =>
    s.replace(
      /&(lt|gt|amp|quot|apos);/g,
      (_, e: string) => ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" })[e]!,
    );
  const body = xml.replace(/^<\?xml[^>]*\?>\s*/, '');
  const root: Node = { name: '#root', attrs: {}, children: [], text: '' };
  const stack = [root];
  const token = /<(\/?)([\w-]+)((?:\s+[\w-]+="[^"]*")*)\s*(\/?)>|([^<]+)/g;
  for (let m = token.exec(body); m; m = token.exec(body)) {
    const top = stack[stack.length - 1]!;
    if (m[5] !== undefined) {
      top.text += decode(m[5]);
    } else if (m[1]) {
      assert.equal(stack.pop()!.name, m[2]);
    } else {
      const attrs: Record<string, string> = {};
      for (const a of m[3]!.matchAll(/([\w-]+)="([^"]*)"/g)) attrs[a[1]!] = decode(a[2]!);
      const node: Node = { name: m[2]!, attrs, children: [], text: '' };
      top.children.push(node);
      if (!m[4]) stack.push(node);
    }
  }
  assert.equal(stack.length, 1);
  return root.children[0]!;
}

const child = (n: Node, name: string) => n.children.find((c) => c.name === name)!;

describe('describe', () => {
  let s: TestServer;
  let headers: Record<string, string>;
  before(async () => {
    s = await startTestServer();
    headers = { authorization: s.a.basic };
  });
  after(() => s.close());

  it('lists every object with its href, as text/xml', async () => {
    const res = await call(`${s.url}/v1/describe`, { headers });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/xml; charset=utf-8');
    assert.ok(res.body.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<objects>\n'));
    assert.ok(
      res.body.includes(
        `  <object href="${s.url}/v1/describe/Account">\n    <name>Account</name>\n    <label>Account</label>\n  </object>\n`,
      ),
    );
    const root = parseXml(res.body);
    assert.equal(root.name, 'objects');
    assert.deepEqual(
      root.children.map((o) => [o.attrs.href, o.children[0]!.text, o.children[1]!.text]),
      objects.map((o) => [`${s.url}/v1/describe/${o.name}`, o.name, o.label]),
    );
  });

  it('describes an object with children by position: name, label, fields, related-objects', async () => {
    const res = await call(`${s.url}/v1/describe/Account`, { headers });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/xml; charset=utf-8');
    const root = parseXml(res.body);
    assert.equal(root.name, 'object');
    assert.equal(root.attrs.href, `${s.url}/v1/describe/Account`);
    assert.deepEqual(
      root.children.map((c) => c.name),
      ['name', 'label', 'fields', 'related-objects'],
    );
    assert.equal(root.children[0]!.text, 'Account');
    assert.equal(root.children[1]!.text, 'Account');
    const account = objects[0]!;
    assert.deepEqual(
      root.children[2]!.children.map((f) => child(f, 'name').text),
      account.fields.map((f) => f.name),
    );
    assert.deepEqual(
      root.children[3]!.children.map((o) => [o.attrs.href, o.children[0]!.text, o.children[1]!.text]),
      [
        [`${s.url}/v1/describe/Contact`, 'BillToContact', 'Bill To'],
        [`${s.url}/v1/describe/PaymentMethod`, 'DefaultPaymentMethod', 'Default Payment Method'],
        [`${s.url}/v1/describe/Account`, 'ParentAccount', 'Parent Account'],
        [`${s.url}/v1/describe/Contact`, 'SoldToContact', 'Sold To'],
      ],
    );
  });

  it('gives each field its attributes, type, options and contexts', async () => {
    const res = await call(`${s.url}/v1/describe/Account`, { headers });
    assert.ok(
      res.body.includes(
        [
          '    <field>',
          '      <name>Status</name>',
          '      <label>Status</label>',
          '      <selectable>true</selectable>',
          '      <createable>true</createable>',
          '      <updateable>true</updateable>',
          '      <filterable>true</filterable>',
          '      <custom>false</custom>',
          '      <maxlength>8</maxlength>',
          '      <required>true</required>',
          '      <type>picklist</type>',
          '      <options><option>Draft</option><option>Active</option><option>Canceled</option></options>',
          '      <contexts><context>export</context><context>soap</context></contexts>',
          '    </field>',
        ].join('\n'),
      ),
    );
    const fields = new Map(
      parseXml(res.body).children[2]!.children.map((f) => [child(f, 'name').text, f] as const),
    );
    const summary = (name: string) => {
      const f = fields.get(name)!;
      return [
        child(f, 'type').text,
        child(f, 'required').text,
        child(f, 'contexts').children.map((c) => c.text),
      ];
    };
    assert.deepEqual(summary('Id'), ['text', 'false', ['export', 'soap']]);
    assert.deepEqual(summary('AccountNumber'), ['text', 'false', ['export', 'soap']]);
    assert.deepEqual(summary('Balance'), ['decimal', 'false', ['export', 'soap']]);
    assert.deepEqual(summary('BillCycleDay'), ['integer', 'true', ['export', 'soap']]);
    assert.deepEqual(summary('AutoPay'), ['boolean', 'false', ['export', 'soap']]);
    assert.deepEqual(summary('LastInvoiceDate'), ['date', 'false', ['export', 'soap']]);
    assert.deepEqual(summary('CreatedDate'), ['datetime', 'false', ['export', 'soap']]);
    assert.deepEqual(summary('BillToId'), ['text', 'false', ['soap']]);
  });

  it('lists no context for a field neither exportable nor queryable', async () => {
    const res = await call(`${s.url}/v1/describe/PaymentMethod`, { headers });
    const field = parseXml(res.body).children[2]!.children.find(
      (f) => child(f, 'name').text === 'AchAccountNumber',
    )!;
    assert.deepEqual(child(field, 'contexts').children, []);
    assert.equal(child(field, 'createable').text, 'true');
    assert.equal(child(field, 'updateable').text, 'false');
  });

  it('finds objects by any case and answers the same under /apps/api', async () => {
    const canonical = await call(`${s.url}/v1/describe/InvoiceItem`, { headers });
    const lower = await call(`${s.url}/v1/describe/invoiceitem`, { headers });
    const legacy = await call(`${s.url}/apps/api/describe/INVOICEITEM/`, { headers });
    assert.equal(lower.body, canonical.body);
    assert.equal(legacy.body, canonical.body);
  });

  it('gives every object a related-objects element, empty when it has no joins', async () => {
    for (const o of objects) {
      const root = parseXml((await call(`${s.url}/v1/describe/${o.name}`, { headers })).body);
      assert.equal(root.children[3]!.name, 'related-objects', o.name);
      assert.equal(root.children[3]!.children.length, o.joins.length, o.name);
    }
  });

  it('answers an unknown object with 400 noSuchDataSource', async () => {
    const res = await call(`${s.url}/v1/describe/Nope`, { headers });
    assert.equal(res.status, 400);
    assert.deepEqual(res.body, {
      Success: false,
      Errors: [{ Code: 'INVALID_VALUE', Message: 'noSuchDataSource: Nope' }],
    });
  });

  it('escapes markup in text and attributes', () => {
    assert.equal(escapeXml(`a<b> & "c" 'd'`), 'a&lt;b&gt; &amp; &quot;c&quot; &apos;d&apos;');
  });
});
