import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { FixedClock } from '../../src/clock.ts';
import { newId } from '../../src/ids.ts';
import { finishRun } from '../../src/jobs/finish.ts';
import { lastCompletedJobId, planSession } from '../../src/jobs/sessions.ts';
import { submitJob } from '../../src/jobs/submit.ts';
import { TOKEN_TTL_SECONDS } from '../../src/limits.ts';
import {
  batchesOf,
  jobById,
  jobByIdAnyTenant,
  jobWithBatches,
  markNotified,
  stageBatch,
  stagedFileIds,
} from '../../src/store/meta/jobs.ts';
import {
  deleteFileRow,
  deleteIdempotencyKeysBefore,
  deleteJobsBefore,
  fileById,
  fileListed,
  filesCreatedBefore,
  filesOfJobsBefore,
  idempotencyKey,
  knownTenantIds,
  saveIdempotencyKey,
  sessionOf,
  sessionQueries,
} from '../../src/store/meta/jobs-files.ts';
import { jobCountsByStatus, listJobRows } from '../../src/store/meta/jobs-list.ts';
import { liveAttempt } from '../../src/store/meta/jobs-queue.ts';
import { META_SCHEMA_VERSION, migrateMeta, openMeta } from '../../src/store/meta/open.ts';
import type { MetaTenants } from '../../src/store/meta/tenants.ts';
import { openTenantRegistry } from '../../src/tenants/index.ts';
import { makeKeyPair } from '../pgp/keys.ts';
import { TEST_STORE, testLocation } from '../support/location.ts';
import { ACCOUNT_QUERY, type MetaFixture, makeTenant, metaFixture, T0 } from './meta-fixture.ts';

const DAY = 86_400_000;

describe(`the meta store on ${TEST_STORE}: jobs, sessions, files, idempotency keys`, () => {
  let fx: MetaFixture;
  const tenant = makeTenant();
  beforeEach(() => {
    fx = metaFixture();
  });
  afterEach(() => fx.close());

  /** Claims the next job and completes it, publishing `files` (ids) for its first batch. */
  const runToEnd = (snapshotSeq: number, files: string[] = []) => {
    const c = fx.claim(fx.db, 'w')!;
    const batch = c.task.batches[0]!;
    stageBatch(fx.db, batch.id, {
      files: files.map((id, i) => ({ id, rows: 10 + i, bytes: 100 + i })),
      recordCount: 10,
      segmented: files.length > 1,
    });
    assert.equal(finishRun(fx.db, c.job, 'w', { status: 'completed', snapshotSeq }, fx.clock.now()), true);
    return c;
  };

  it('a job and its batches round trip with their types; finishing publishes staged files', () => {
    const id = submitJob({ db: fx.db, clock: fx.clock, newId }, tenant, {
      name: 'Nightly',
      format: 'gzip',
      dateTimeUtc: true,
      nullReplacement: '',
      queries: [
        { name: 'accounts', query: ACCOUNT_QUERY, convertToCurrencies: ['EUR'] },
        { name: 'again', query: ACCOUNT_QUERY },
      ],
    }).id as string;
    const job = jobById(fx.db, tenant.id, id)!;
    assert.equal(jobById(fx.db, makeTenant().id, id), undefined, "another tenant's job is not found");
    assert.deepEqual(
      {
        status: job.status,
        name: job.name,
        format: job.format,
        dateTimeUtc: job.dateTimeUtc,
        useQueryLabels: job.useQueryLabels,
        stateful: job.stateful,
        nullReplacement: job.nullReplacement,
        submittedAt: job.submittedAt,
        startedAt: job.startedAt,
        attempts: job.attempts,
      },
      {
        status: 'submitted',
        name: 'Nightly',
        format: 'gzip',
        dateTimeUtc: true,
        useQueryLabels: false,
        stateful: false,
        nullReplacement: '',
        submittedAt: T0,
        startedAt: null,
        attempts: 0,
      },
    );
    assert.equal(typeof job.ord, 'number');
    const [b1, b2] = batchesOf(fx.db, id);
    assert.deepEqual(jobWithBatches(fx.db, tenant.id, id), { job, batches: [b1, b2] });
    assert.equal(jobWithBatches(fx.db, makeTenant().id, id), undefined, "another tenant's job is not found");
    assert.deepEqual(
      [b1!.name, b1!.position, b1!.full, b1!.convertToCurrencies, b1!.status, b2!.name, b2!.position],
      ['accounts', 0, true, ['EUR'], 'pending', 'again', 1],
    );
    fx.clock.advance(5000);
    const [f1, f2] = [newId(), newId()];
    runToEnd(7, [f1, f2]);
    assert.deepEqual(stagedFileIds(fx.db), new Set());
    const done = jobById(fx.db, tenant.id, id)!;
    assert.deepEqual(
      [done.status, done.snapshotSeq, done.startedAt, done.finishedAt],
      ['completed', 7, T0 + 5000, T0 + 5000],
    );
    const batches = batchesOf(fx.db, id);
    assert.deepEqual(batches[0]!.fileIds, [f1, f2]);
    assert.deepEqual(batches[1]!.fileIds, []);
    assert.deepEqual(jobWithBatches(fx.db, tenant.id, id), { job: done, batches }, 'read in one statement');
    assert.deepEqual(
      batchesOf(fx.db, id, { files: false }),
      batches.map((b) => ({ ...b, fileIds: [] })),
    );
    assert.deepEqual([batches[0]!.recordCount, batches[0]!.segmented, batches[0]!.staged], [10, true, null]);
    assert.deepEqual(fileById(fx.db, tenant.id, f2), {
      id: f2,
      tenantId: tenant.id,
      jobId: id,
      batchId: batches[0]!.id,
      part: 1,
      format: 'gzip',
      encrypted: false,
      rows: 11,
      bytes: 101,
      createdAt: T0 + 5000,
    });
    assert.equal(fileById(fx.db, makeTenant().id, f2), undefined);
    assert.equal(markNotified(fx.db, id, 'sent'), true);
    assert.equal(markNotified(fx.db, id, 'sent'), false, 'notified once');
  });

  it('a stateful session keeps its cursor and per-query state; the next job runs incrementally', () => {
    const key = { tenantId: tenant.id, partner: 'p', project: 'S' };
    const first = fx.submit(tenant, 'S');
    assert.equal(sessionOf(fx.db, tenant.id, 'p', 'S'), undefined);
    runToEnd(41);
    assert.deepEqual(sessionOf(fx.db, tenant.id, 'p', 'S'), {
      cursorSeq: 41,
      lastJobId: first,
      lastCompletedAt: T0,
    });
    assert.deepEqual(
      [...sessionQueries(fx.db, tenant.id, 'p', 'S').values()],
      [{ name: 'query1', query: ACCOUNT_QUERY, deleted: null, cursorSeq: 41 }],
    );
    assert.equal(lastCompletedJobId(fx.db, key), first);
    const second = fx.submit(tenant, 'S');
    const c = fx.claim(fx.db, 'w')!;
    assert.equal(c.job.id, second);
    assert.deepEqual(
      c.task.batches.map((b) => [b.full, b.afterSeq]),
      [[false, 41]],
    );
    assert.deepEqual(planSession(fx.db, key, [{ name: 'new', query: ACCOUNT_QUERY, deleted: null }], T0), [
      { full: true, afterSeq: null },
    ]);
    // Another partner/project pair, or another tenant, is another session.
    assert.equal(sessionOf(fx.db, tenant.id, 'p', 's'), undefined);
    assert.equal(sessionOf(fx.db, makeTenant().id, 'p', 'S'), undefined);
  });

  it('idempotency keys: found within their window, replaced, and swept', () => {
    saveIdempotencyKey(fx.db, tenant.id, 'k1', 'hash-a', 'job-a', T0);
    assert.deepEqual(idempotencyKey(fx.db, tenant.id, 'k1', T0), { jobId: 'job-a', bodyHash: 'hash-a' });
    assert.equal(idempotencyKey(fx.db, tenant.id, 'k1', T0 + 1), undefined, 'outside the window');
    assert.equal(idempotencyKey(fx.db, makeTenant().id, 'k1', 0), undefined, 'per tenant');
    saveIdempotencyKey(fx.db, tenant.id, 'k1', 'hash-b', 'job-b', T0 + 10);
    assert.deepEqual(idempotencyKey(fx.db, tenant.id, 'k1', T0), { jobId: 'job-b', bodyHash: 'hash-b' });
    saveIdempotencyKey(fx.db, tenant.id, 'k2', 'hash-c', 'job-c', T0 + 20);
    assert.equal(deleteIdempotencyKeysBefore(fx.db, T0 + 20), 1);
    assert.equal(idempotencyKey(fx.db, tenant.id, 'k1', 0), undefined);
    assert.deepEqual(idempotencyKey(fx.db, tenant.id, 'k2', 0), { jobId: 'job-c', bodyHash: 'hash-c' });
  });

  it('a submit with a used idempotency key answers with the first job', () => {
    const deps = { db: fx.db, clock: fx.clock, newId };
    const body = { queries: [{ query: ACCOUNT_QUERY }] };
    const first = submitJob(deps, tenant, body, { idempotencyKey: 'once' });
    const again = submitJob(deps, tenant, body, { idempotencyKey: 'once' });
    assert.equal(again.id, first.id);
    assert.deepEqual(jobCountsByStatus(fx.db), new Map([['submitted', 1]]));
  });

  it('retention: old files and finished jobs go (with their batches and file rows); running ones stay', () => {
    const old = fx.submit(tenant);
    const oldFile = newId();
    runToEnd(1, [oldFile]);
    const running = fx.submit(tenant);
    fx.claim(fx.db, 'w', 30 * DAY);
    fx.clock.advance(10 * DAY);
    const recent = fx.submit(tenant);
    const recentFile = newId();
    runToEnd(2, [recentFile]);
    assert.deepEqual(filesCreatedBefore(fx.db, T0 + DAY), [{ tenantId: tenant.id, id: oldFile }]);
    assert.deepEqual(filesOfJobsBefore(fx.db, T0 + DAY), [{ tenantId: tenant.id, id: oldFile }]);
    assert.equal(fileListed(fx.db, oldFile), true);
    deleteFileRow(fx.db, oldFile);
    assert.equal(fileListed(fx.db, oldFile), false);
    assert.equal(deleteJobsBefore(fx.db, T0 + DAY), 1);
    assert.equal(jobByIdAnyTenant(fx.db, old), undefined);
    assert.deepEqual(batchesOf(fx.db, old), []);
    assert.equal(jobByIdAnyTenant(fx.db, running)?.status, 'executing');
    assert.equal(liveAttempt(fx.db, running, fx.clock.now()), 1);
    assert.equal(liveAttempt(fx.db, running, T0 + 31 * DAY), undefined, 'once its lease ran out');
    assert.equal(jobByIdAnyTenant(fx.db, recent)?.status, 'completed');
    assert.equal(fileListed(fx.db, recentFile), true);
  });

  it('lists a tenant’s jobs newest first with filters; counts every status; knows its tenants', () => {
    const other = makeTenant();
    const ids: string[] = [];
    for (const name of ['Daily Accounts', 'weekly', 'DAILY invoices']) {
      ids.push(
        submitJob({ db: fx.db, clock: fx.clock, newId }, tenant, {
          name,
          queries: [{ query: ACCOUNT_QUERY }],
        }).id as string,
      );
      fx.clock.advance(1000);
    }
    fx.submit(other, 'P');
    const list = (q: Partial<Parameters<typeof listJobRows>[1]>) =>
      listJobRows(fx.db, { tenantId: tenant.id, since: T0, limit: 10, ...q }).map((j) => j.id);
    assert.deepEqual(list({}), [ids[2], ids[1], ids[0]]);
    assert.deepEqual(list({ name: 'daily' }), [ids[2], ids[0]]);
    assert.deepEqual(list({ name: '%' }), [], 'a name is matched as text, not a pattern');
    assert.deepEqual(list({ limit: 1 }), [ids[2]]);
    assert.deepEqual(list({ since: T0 + 1000 }), [ids[2], ids[1]]);
    assert.deepEqual(list({ status: 'completed' }), []);
    assert.deepEqual(list({ partner: 'p' }), []);
    assert.deepEqual(jobCountsByStatus(fx.db), new Map([['submitted', 4]]));
    assert.deepEqual(knownTenantIds(fx.db), [tenant.id, other.id].sort());
  });
});

describe(`the meta store on ${TEST_STORE}: tenants, credentials, tokens, PGP keys`, () => {
  let dir: string;
  let drop: () => void;
  let location: ReturnType<typeof testLocation>['location'];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'openaqua-meta-'));
    ({ location, drop } = testLocation(dir));
  });
  afterEach(() => {
    drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the registry over a location: tenants, passwords, client secrets, tokens and a PGP key round trip', async () => {
    const clock = new FixedClock(T0);
    const registry = openTenantRegistry({ location, clock });
    try {
      assert.equal(registry.isEmpty(), true);
      const { tenant, credentials: c } = await registry.createTenant({
        name: 'zeta',
        timeZone: 'Europe/Paris',
      });
      await registry.createTenant({ name: 'Alpha', segments: true });
      await registry.createTenant({ name: 'beta' });
      assert.deepEqual(
        registry.listTenants().map((t) => t.name),
        ['Alpha', 'beta', 'zeta'],
        'by name, byte order',
      );
      assert.equal((await registry.authenticatePassword('zeta', c.password))?.id, tenant.id);
      assert.equal(await registry.authenticatePassword('zeta', `${c.password}x`), undefined);
      assert.equal((await registry.authenticateClient(c.clientId, c.clientSecret))?.id, tenant.id);
      const token = registry.issueToken(tenant);
      assert.equal(registry.authenticateToken(token.accessToken)?.id, tenant.id);
      assert.equal(registry.authenticateToken(`${token.accessToken}x`), undefined);
      assert.deepEqual(registry.updateTenant('zeta', { segments: true }), { ...tenant, segments: true });
      const { publicKey } = await makeKeyPair();
      const { key } = await registry.setPgpKey('zeta', publicKey);
      assert.equal(registry.findTenant('zeta')?.pgpFingerprint, key.fingerprint);
      assert.equal(registry.pgpKey(tenant.id), key.armored);
      assert.equal(registry.removePgpKey('zeta'), true);
      assert.equal(registry.removePgpKey('zeta'), false);
      assert.equal(registry.findTenant('zeta')?.pgpFingerprint, undefined);
      clock.advance(TOKEN_TTL_SECONDS * 1000);
      assert.equal(registry.authenticateToken(token.accessToken), undefined, 'expired');
    } finally {
      registry.close();
    }
    const again = openTenantRegistry({ location, clock });
    try {
      assert.equal(again.listTenants().length, 3, 'kept across opening');
    } finally {
      again.close();
    }
  });

  it('byte strings (salts, hashes, token hashes) come back as the same bytes; expired tokens are purged', () => {
    const meta = openMeta(location);
    try {
      const tenants: MetaTenants = meta.tenants;
      const bytes = Buffer.from([0, 1, 2, 0x5c, 0x78, 255, 254, 0]);
      tenants.insertTenant({ id: 't1', name: 'one', timeZone: 'UTC', segments: false, createdAt: T0 }, [
        { kind: 'password', identifier: 'u', salt: bytes, hash: Buffer.alloc(32, 7) },
      ]);
      assert.deepEqual(tenants.credential('password', 'u'), {
        tenantId: 't1',
        salt: bytes,
        hash: Buffer.alloc(32, 7),
      });
      assert.equal(tenants.credential('client', 'u'), undefined);
      tenants.insertToken(bytes, 't1', 'jti-1', T0 + 10);
      tenants.insertToken(Buffer.alloc(32, 1), 't1', 'jti-2', T0 + 20);
      assert.deepEqual(tenants.token(bytes), { tenantId: 't1', expiresAt: T0 + 10 });
      assert.equal(tenants.purgeTokens(T0 + 10), 1);
      assert.equal(tenants.token(bytes), undefined);
      assert.deepEqual(tenants.token(Buffer.alloc(32, 1)), { tenantId: 't1', expiresAt: T0 + 20 });
      assert.equal(tenants.countTenants(), 1);
    } finally {
      meta.close();
    }
  });

  it('migrations are recorded: opening again applies nothing', () => {
    const meta = openMeta(location);
    try {
      assert.equal(migrateMeta(meta.jobs, T0), 0);
      assert.deepEqual(
        meta.jobs.prepare('SELECT version FROM meta_migrations ORDER BY version').pluck().all(),
        Array.from({ length: META_SCHEMA_VERSION }, (_, i) => i + 1),
      );
    } finally {
      meta.close();
    }
  });
});
