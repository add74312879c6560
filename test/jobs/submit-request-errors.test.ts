import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { RequestError } from '../../src/errors.ts';
import { submitJob } from '../../src/jobs/submit.ts';
import { ACCOUNT_QUERY, makeTenant, metaFixture, thrown } from './helpers.ts';

describe('submit: a body that is not AQuA-shaped is a RequestError (HTTP 400) naming the field', () => {
  let fx: ReturnType<typeof metaFixture>;
  const tenant = makeTenant();
  beforeEach(() => {
    fx = metaFixture();
  });
  afterEach(() => fx.close());

  const q = [{ query: ACCOUNT_QUERY }];
  const cases: [string, unknown, string][] = [
    ['an array body', [], 'The request body must be a JSON object'],
    ['a null body', null, 'The request body must be a JSON object'],
    ['a string body', 'select', 'The request body must be a JSON object'],
    ['format json', { format: 'json', queries: q }, "format must be one of csv, zip, gzip, not 'json'"],
    ['format as a number', { format: 1, queries: q }, 'format must be one of csv, zip, gzip, not 1'],
    ['version 2.0', { version: '2.0', queries: q }, "version must be 1.0, 1.1 or 1.2, not '2.0'"],
    ['version 1.3 as a number', { version: 1.3, queries: q }, 'version must be 1.0, 1.1 or 1.2, not 1.3'],
    [
      'a name of 33 characters',
      { name: 'n'.repeat(33), queries: q },
      'name must be at most 32 characters, not 33',
    ],
    ['a name that is a number', { name: 7, queries: q }, 'name must be a string, not 7'],
    ['encrypted aes', { encrypted: 'aes', queries: q }, "encrypted must be one of none, pgp, not 'aes'"],
    [
      'encrypted pgp without a registered key',
      { encrypted: 'pgp', queries: q },
      'encrypted: no PGP key is registered for the tenant, so pgp cannot be used; register one with: openaqua tenant pgp-key acme <public-key.asc>',
    ],
    [
      'useQueryLabels yes',
      { useQueryLabels: 'yes', queries: q },
      "useQueryLabels must be true or false, not 'yes'",
    ],
    ['dateTimeUtc 1', { dateTimeUtc: 1, queries: q }, 'dateTimeUtc must be true or false, not 1'],
    ['nullReplacement 0', { nullReplacement: 0, queries: q }, 'nullReplacement must be a string, not 0'],
    ['sourceData ARCHIVE', { sourceData: 'ARCHIVE', queries: q }, "sourceData must be LIVE, not 'ARCHIVE'"],
    ['partner as a number', { partner: 5, queries: q }, 'partner must be a string, not 5'],
    ['offset 3601', { offset: 3601, queries: q }, 'offset must be an integer from 0 to 3600, not 3601'],
    ['offset -1', { offset: -1, queries: q }, 'offset must be an integer from 0 to 3600, not -1'],
    ['offset 1.5', { offset: 1.5, queries: q }, 'offset must be an integer from 0 to 3600, not 1.5'],
    ['queries as an object', { queries: {} }, 'queries must be an array'],
    [
      'a query item that is a string',
      { queries: ['select Id from Account'] },
      'queries[0] must be an object',
    ],
    ['a query item without query', { queries: [{ name: 'a' }] }, 'queries[0].query is required'],
    ['a query that is a number', { queries: [{ query: 1 }] }, 'queries[0].query must be a string, not 1'],
    [
      'type sql',
      { queries: [{ query: ACCOUNT_QUERY, type: 'sql' }] },
      "queries[0].type must be one of zoql, zoqlexport, not 'sql'",
    ],
    [
      'deleted format in the wrong case',
      { queries: [{ query: ACCOUNT_QUERY, deleted: { column: 'D', format: 'boolean' } }] },
      "queries[0].deleted.format must be Numeric or Boolean (case-sensitive), not 'boolean'",
    ],
    [
      'deleted without column',
      { queries: [{ query: ACCOUNT_QUERY, deleted: { format: 'Numeric' } }] },
      'queries[0].deleted.column is required',
    ],
    [
      'deleted as an array of two',
      {
        queries: [
          {
            query: ACCOUNT_QUERY,
            deleted: [
              { column: 'a', format: 'Numeric' },
              { column: 'b', format: 'Numeric' },
            ],
          },
        ],
      },
      'queries[0].deleted must be an object or an array holding one object',
    ],
    [
      'convertToCurrencies as a number',
      { queries: [{ query: ACCOUNT_QUERY, convertToCurrencies: 5 }] },
      'queries[0].convertToCurrencies must be an array of currency codes',
    ],
    [
      'a notifyUrl that is no URL',
      { notifyUrl: 'not a url', queries: q },
      "notifyUrl must be an absolute http or https URL, not 'not a url'",
    ],
    [
      'an ftp notifyUrl',
      { notifyUrl: 'ftp://example.com/x', queries: q },
      "notifyUrl must be an http or https URL, not 'ftp://example.com/x'",
    ],
  ];

  for (const [what, body, message] of cases) {
    it(what, () => {
      const e = thrown(() => submitJob(fx.deps, tenant, body));
      assert.ok(e instanceof RequestError, `expected a RequestError, got ${String(e)}`);
      assert.equal(e.status, 400);
      assert.equal(e.message, message);
      assert.equal(fx.db.prepare('SELECT count(*) FROM jobs').pluck().get(), 0);
    });
  }
});
