import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { submitJob } from '../../src/jobs/submit.ts';
import { jobById } from '../../src/store/meta/jobs.ts';
import { ACCOUNT_QUERY, JOBID, makeTenant, metaFixture } from './helpers.ts';

describe('submit: defaults and echoes', () => {
  let fx: ReturnType<typeof metaFixture>;
  const tenant = makeTenant();
  beforeEach(() => {
    fx = metaFixture();
  });
  afterEach(() => fx.close());

  const submit = (body: unknown) => submitJob(fx.deps, tenant, body);
  const batches = (job: Record<string, unknown>) => job.batches as Record<string, unknown>[];

  it('fills every default of a minimal body', () => {
    const job = submit({ queries: [{ query: ACCOUNT_QUERY, type: 'zoqlexport' }] });
    assert.equal(job.version, '1.0');
    assert.equal(job.format, 'CSV');
    assert.equal(job.encrypted, 'none');
    assert.equal(job.sourceData, 'LIVE');
    assert.equal(job.offset, 0);
    assert.equal(job.useLastCompletedJobQueries, false);
    assert.equal(job.status, 'submitted');
    const b = batches(job)[0]!;
    assert.equal(b.name, 'query1');
    assert.equal(b.apiVersion, '145.0');
    assert.equal(b.batchType, 'zoqlexport');
    const row = jobById(fx.db, tenant.id, job.id as string)!;
    assert.equal(row.useQueryLabels, false);
    assert.equal(row.dateTimeUtc, false);
    assert.equal(row.nullReplacement, null);
    assert.equal(row.stateful, false);
  });

  it('echoes format upper case whatever case it arrives in', () => {
    for (const [sent, echoed] of [
      ['csv', 'CSV'],
      ['Zip', 'ZIP'],
      ['GZIP', 'GZIP'],
      ['gZip', 'GZIP'],
    ]) {
      assert.equal(submit({ format: sent, queries: [{ query: ACCOUNT_QUERY }] }).format, echoed);
    }
  });

  it('echoes version as a string, from a string or a number', () => {
    for (const [sent, echoed] of [
      [1, '1.0'],
      ['1.0', '1.0'],
      [1.1, '1.1'],
      ['1.1', '1.1'],
      [1.2, '1.2'],
      ['1.2', '1.2'],
    ] as const) {
      assert.equal(submit({ version: sent, queries: [{ query: ACCOUNT_QUERY }] }).version, echoed);
    }
  });

  it('reads booleans as JSON booleans or as "true"/"false"', () => {
    for (const [sent, stored] of [
      [true, true],
      ['true', true],
      ['TRUE', true],
      [false, false],
      ['false', false],
    ] as const) {
      const job = submit({ useQueryLabels: sent, dateTimeUtc: sent, queries: [{ query: ACCOUNT_QUERY }] });
      const row = jobById(fx.db, tenant.id, job.id as string)!;
      assert.equal(row.useQueryLabels, stored);
      assert.equal(row.dateTimeUtc, stored);
    }
  });

  it('names unnamed queries query<N> by position and keeps given names', () => {
    const job = submit({
      queries: [
        { query: ACCOUNT_QUERY },
        { name: 'Contacts', query: 'select Id from Contact' },
        { query: ACCOUNT_QUERY },
      ],
    });
    assert.deepEqual(
      batches(job).map((b) => b.name),
      ['query1', 'Contacts', 'query3'],
    );
  });

  it('echoes apiVersion as a string, a number becoming "N.0"', () => {
    const job = submit({
      queries: [
        { query: ACCOUNT_QUERY, apiVersion: '60.0' },
        { query: ACCOUNT_QUERY, apiVersion: 91 },
      ],
    });
    assert.deepEqual(
      batches(job).map((b) => b.apiVersion),
      ['60.0', '91.0'],
    );
  });

  it('reads type in any case and echoes it lower case', () => {
    const job = submit({ queries: [{ query: ACCOUNT_QUERY, type: 'ZOQL' }] });
    assert.equal(batches(job)[0]!.batchType, 'zoql');
  });

  it('echoes a deleted section sent as a one-element array as an object', () => {
    const job = submit({
      version: '1.1',
      partner: 'p',
      project: 'x',
      queries: [{ query: ACCOUNT_QUERY, deleted: [{ column: 'IsDeleted', format: 'Numeric' }] }],
    });
    assert.deepEqual(batches(job)[0]!.deleted, { column: 'IsDeleted', format: 'Numeric' });
  });

  it('echoes forceExport when given, as a boolean', () => {
    const job = submit({
      queries: [
        { query: ACCOUNT_QUERY, deleted: { column: 'Deleted', format: 'Boolean', forceExport: 'true' } },
      ],
    });
    assert.deepEqual(batches(job)[0]!.deleted, { column: 'Deleted', format: 'Boolean', forceExport: true });
  });

  it('echoes convertToCurrencies as sent', () => {
    const job = submit({ queries: [{ query: ACCOUNT_QUERY, convertToCurrencies: ['USD', 'EUR'] }] });
    assert.deepEqual(batches(job)[0]!.convertToCurrencies, ['USD', 'EUR']);
  });

  it('accepts sourceData LIVE in any case', () => {
    assert.equal(submit({ sourceData: 'live', queries: [{ query: ACCOUNT_QUERY }] }).sourceData, 'LIVE');
  });

  it('echoes partner, project, offset, notifyUrl, and incrementalTime as epoch ms in the tenant zone', () => {
    const job = submit({
      version: '1.1',
      partner: 'salesforce',
      project: '00170000011K3Ub',
      offset: '30',
      notifyUrl: `https://etl.example.com/done?job=${JOBID}`,
      incrementalTime: '2024-02-01 00:00:00',
      queries: [{ query: ACCOUNT_QUERY }],
    });
    assert.equal(job.partner, 'salesforce');
    assert.equal(job.project, '00170000011K3Ub');
    assert.equal(job.offset, 30);
    assert.equal(job.notifyUrl, `https://etl.example.com/done?job=${JOBID}`);
    assert.equal(job.incrementalTime, Date.UTC(2024, 1, 1, 8, 0, 0));
  });

  it('is stateful only with version 1.1 or 1.2 and both partner and project', () => {
    const mode = (body: Record<string, unknown>) =>
      jobById(fx.db, tenant.id, submit({ ...body, queries: [{ query: ACCOUNT_QUERY }] }).id as string)!
        .stateful;
    assert.equal(mode({ version: '1.1', partner: 'p', project: 'x' }), true);
    assert.equal(mode({ version: '1.2', partner: 'p', project: 'x' }), true);
    assert.equal(mode({ version: '1.0', partner: 'p', project: 'x' }), false);
    assert.equal(mode({ version: '1.1', partner: 'p' }), false);
    assert.equal(mode({ version: '1.1', project: 'x', partner: null }), false);
    assert.equal(mode({ version: '1.1', partner: '', project: 'x' }), false);
  });
});
