import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { basic, type LimitedServer, send, startLimitedServer } from '../ratelimit/server.ts';
import { cleanJson, malformed } from './answers.ts';

/** The wrong values sent in turn to every field. */
const VALUES: readonly unknown[] = [7, -1.5, true, [], {}, 'x'];

/** What each value gives: a 400 message, an AQuA error code (HTTP 200), or `ok` (accepted). */
type Outcome = string | { aqua: string } | 'ok';

const ENUM = (field: string, allowed: string): Outcome[] =>
  ['7', '-1.5', 'true', '[]', '{}', "'x'"].map((v) => `${field} must be ${allowed}, not ${v}`);
const STRING = (field: string, x: Outcome = 'ok'): Outcome[] => [
  ...['7', '-1.5', 'true', '[]', '{}'].map((v) => `${field} must be a string, not ${v}`),
  x,
];
const BOOLEAN = (field: string): Outcome[] => [
  `${field} must be true or false, not 7`,
  `${field} must be true or false, not -1.5`,
  'ok',
  `${field} must be true or false, not []`,
  `${field} must be true or false, not {}`,
  `${field} must be true or false, not 'x'`,
];

const JOB_FIELDS: Record<string, Outcome[]> = {
  format: ENUM('format', 'one of csv, zip, gzip'),
  version: ENUM('version', '1.0, 1.1 or 1.2'),
  name: STRING('name'),
  encrypted: ENUM('encrypted', 'one of none, pgp'),
  useQueryLabels: BOOLEAN('useQueryLabels'),
  dateTimeUtc: BOOLEAN('dateTimeUtc'),
  nullReplacement: STRING('nullReplacement'),
  partner: STRING('partner'),
  project: STRING('project'),
  incrementalTime: VALUES.map(() => ({ aqua: '90015' })),
  offset: ['ok', ...ENUM('offset', 'an integer from 0 to 3600').slice(1)],
  notifyUrl: STRING('notifyUrl', "notifyUrl must be an absolute http or https URL, not 'x'"),
  sourceData: STRING('sourceData', "sourceData must be LIVE, not 'x'"),
  queries: [
    'queries must be an array',
    'queries must be an array',
    'queries must be an array',
    { aqua: '90016' },
    'queries must be an array',
    'queries must be an array',
  ],
};

const QUERY_FIELDS: Record<string, Outcome[]> = {
  name: STRING('queries[0].name'),
  query: STRING('queries[0].query', { aqua: '90005' }),
  type: ENUM('queries[0].type', 'one of zoql, zoqlexport'),
  apiVersion: [
    'ok',
    'ok',
    'queries[0].apiVersion must be a string, not true',
    'queries[0].apiVersion must be a string, not []',
    'queries[0].apiVersion must be a string, not {}',
    'ok',
  ],
  deleted: [
    'queries[0].deleted must be an object with column and format',
    'queries[0].deleted must be an object with column and format',
    'queries[0].deleted must be an object with column and format',
    'queries[0].deleted must be an object or an array holding one object',
    'queries[0].deleted.column is required',
    'queries[0].deleted must be an object with column and format',
  ],
  convertToCurrencies: [
    ...Array(3).fill('queries[0].convertToCurrencies must be an array of currency codes'),
    'ok',
    'queries[0].convertToCurrencies must be an array of currency codes',
    { aqua: '90021' },
  ],
};

describe('a wrong type in any submit field: HTTP 400 naming the field, or the AQuA error, never a 500', () => {
  let s: LimitedServer;
  let headers: Record<string, string>;
  before(async () => {
    s = await startLimitedServer({ requests: 0, authFailures: 0 });
    headers = { authorization: basic(s.alpha), 'content-type': 'application/json' };
  });
  after(() => s.close());

  const base = () => ({
    version: '1.1',
    partner: 'p',
    project: 'q',
    queries: [{ name: 'a', query: 'select Id from Account' }],
  });

  async function check(label: string, body: unknown, expected: Outcome): Promise<void> {
    const res = await send(s, {
      method: 'POST',
      path: '/v1/batch-query/',
      headers,
      body: JSON.stringify(body),
    });
    const json = cleanJson(res, label);
    if (typeof expected === 'string' && expected !== 'ok') {
      assert.equal(res.status, 400, label);
      assert.deepEqual(json, malformed(expected), label);
    } else if (expected === 'ok') {
      assert.equal(res.status, 200, label);
      assert.equal(json.status, 'submitted', label);
      assert.equal(json.message, undefined, label);
    } else {
      assert.equal(res.status, 200, label);
      assert.equal(json.status, 'error', label);
      assert.equal(json.errorCode, expected.aqua, label);
    }
  }

  it('job fields', async () => {
    for (const [field, outcomes] of Object.entries(JOB_FIELDS)) {
      for (const [i, value] of VALUES.entries()) {
        await check(`${field}=${JSON.stringify(value)}`, { ...base(), [field]: value }, outcomes[i]!);
      }
    }
  });

  it('query fields', async () => {
    for (const [field, outcomes] of Object.entries(QUERY_FIELDS)) {
      for (const [i, value] of VALUES.entries()) {
        const body = { ...base(), queries: [{ name: 'a', query: 'select Id from Account', [field]: value }] };
        await check(`queries[0].${field}=${JSON.stringify(value)}`, body, outcomes[i]!);
      }
    }
  });
});
