import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { formatStartTime } from '../../src/jobs/render.ts';
import { submitJob } from '../../src/jobs/submit.ts';
import { JOBID, makeTenant, metaFixture, STATUS } from './helpers.ts';

describe('the job JSON, field by field', () => {
  let fx: ReturnType<typeof metaFixture>;
  beforeEach(() => {
    fx = metaFixture();
  });
  afterEach(() => fx.close());

  it('a submitted stateful job with every request field', () => {
    const tenant = makeTenant();
    const job = submitJob(fx.deps, tenant, {
      format: 'gzip',
      version: '1.1',
      name: 'submit_002',
      encrypted: 'none',
      useQueryLabels: 'true',
      partner: 'salesforce',
      project: '00170000011K3Ub',
      notifyUrl: `https://etl.example.com/n?id=${JOBID}&s=${STATUS}`,
      incrementalTime: '2024-02-29 16:00:00',
      offset: 60,
      queries: [
        {
          name: 'AccountingPeriod',
          type: 'zoql',
          query: 'select Id,StartDate,EndDate,FiscalYear,Name,Status,UpdatedDate from AccountingPeriod',
        },
        {
          name: 'InvoiceAdjustmentQuery',
          type: 'zoqlexport',
          apiVersion: '60.0',
          query: 'select Id, Amount from InvoiceAdjustment',
          deleted: { column: 'MyDeletedColumn', format: 'Boolean' },
        },
      ],
    });
    const batches = job.batches as Record<string, unknown>[];
    const id = job.id as string;
    assert.match(id, /^[0-9a-f]{32}$/);
    for (const b of batches) assert.match(b.batchId as string, /^[0-9a-f]{32}$/);
    assert.notEqual(batches[0]!.batchId, batches[1]!.batchId);
    assert.deepEqual(job, {
      id,
      name: 'submit_002',
      status: 'submitted',
      version: '1.1',
      format: 'GZIP',
      encrypted: 'none',
      partner: 'salesforce',
      project: '00170000011K3Ub',
      notifyUrl: `https://etl.example.com/n?id=${JOBID}&s=${STATUS}`,
      incrementalTime: Date.UTC(2024, 2, 1, 0, 0, 0),
      offset: 60,
      sourceData: 'LIVE',
      useLastCompletedJobQueries: false,
      startTime: '2024-03-01T04:00:00-0800',
      batches: [
        {
          batchId: batches[0]!.batchId,
          name: 'AccountingPeriod',
          query: 'select Id,StartDate,EndDate,FiscalYear,Name,Status,UpdatedDate from AccountingPeriod',
          batchType: 'zoql',
          apiVersion: '145.0',
          full: true,
          recordCount: 0,
          status: 'pending',
          localizedStatus: 'pending',
        },
        {
          batchId: batches[1]!.batchId,
          name: 'InvoiceAdjustmentQuery',
          query: 'select Id, Amount from InvoiceAdjustment',
          batchType: 'zoqlexport',
          apiVersion: '60.0',
          full: true,
          recordCount: 0,
          status: 'pending',
          localizedStatus: 'pending',
          deleted: { column: 'MyDeletedColumn', format: 'Boolean' },
        },
      ],
    });
  });

  it('a stateless job leaves out partner, project, name, notifyUrl and incrementalTime, and never has message', () => {
    const job = submitJob(fx.deps, makeTenant(), { queries: [{ query: 'select Id from Account' }] });
    assert.deepEqual(Object.keys(job), [
      'id',
      'status',
      'version',
      'format',
      'encrypted',
      'offset',
      'sourceData',
      'useLastCompletedJobQueries',
      'startTime',
      'batches',
    ]);
  });

  it('startTime is the submit time in the tenant zone with its offset', () => {
    assert.equal(
      formatStartTime(Date.UTC(2024, 6, 1, 12, 0, 5), 'America/Los_Angeles'),
      '2024-07-01T05:00:05-0700',
    );
    assert.equal(formatStartTime(Date.UTC(2024, 0, 1, 0, 0, 0), 'UTC'), '2024-01-01T00:00:00+0000');
    assert.equal(formatStartTime(Date.UTC(2024, 0, 1, 0, 0, 0), 'Asia/Kolkata'), '2024-01-01T05:30:00+0530');
    const job = submitJob(fx.deps, makeTenant({ timeZone: 'Europe/Paris' }), {
      queries: [{ query: 'select Id from Account' }],
    });
    assert.equal(job.startTime, '2024-03-01T13:00:00+0100');
  });
});
