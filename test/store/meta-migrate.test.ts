import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { claimNext } from '../../src/jobs/claim.ts';
import type { StoreLocation } from '../../src/store/location.ts';
import { jobById } from '../../src/store/meta/jobs.ts';
import { metaJobsDdl } from '../../src/store/meta/jobs-ddl.ts';
import { META_SCHEMA_VERSION, openMeta } from '../../src/store/meta/open.ts';
import { metaTenantsDdl } from '../../src/store/meta/tenants.ts';
import { openSqliteDb } from '../../src/store/sqlite/db.ts';
import { TEST_STORE, testLocation } from '../support/location.ts';

const OPEN_META = fileURLToPath(new URL('../../src/store/meta/open.ts', import.meta.url));

/** Runs a separate node process that opens (and so migrates) the meta store of `location`. */
function openInProcess(location: StoreLocation): Promise<{ code: number | null; stderr: string }> {
  const script = `const { openMetaDb } = await import(${JSON.stringify(OPEN_META)});
    openMetaDb(JSON.parse(process.env.META_LOCATION)).close();`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      env: { ...process.env, META_LOCATION: JSON.stringify(location) },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += String(d);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe(`meta schema migrations on ${TEST_STORE}`, () => {
  let dir: string;
  let location: StoreLocation;
  let drop: () => void;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'openaqua-meta-migrate-'));
    ({ location, drop } = testLocation(dir));
  });
  afterEach(() => {
    drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('processes opening a new meta store at the same moment all succeed, and each step runs once', async () => {
    const results = await Promise.all([1, 2, 3, 4].map(() => openInProcess(location)));
    for (const r of results) assert.equal(r.code, 0, r.stderr);
    const meta = openMeta(location);
    try {
      assert.deepEqual(
        meta.jobs.prepare('SELECT version FROM meta_migrations ORDER BY version').pluck().all(),
        Array.from({ length: META_SCHEMA_VERSION }, (_, i) => i + 1),
      );
      assert.equal(meta.tenants.countTenants(), 0);
    } finally {
      meta.close();
    }
  });

  it('a meta.sqlite from before versions were recorded opens with its rows, and its jobs run', {
    skip: TEST_STORE !== 'sqlite' && 'the SQLite file format',
  }, () => {
    const file = openSqliteDb(join(dir, 'meta.sqlite'));
    // The tables as earlier releases made them on open (without the PGP keys table), and some rows.
    for (const sql of [...metaTenantsDdl('sqlite').slice(0, -1), ...metaJobsDdl('sqlite')]) file.exec(sql);
    file.exec(`INSERT INTO tenants VALUES ('t1', 'old', 'Europe/Paris', 1, 1700000000000);
        INSERT INTO jobs (id, tenant_id, session_key, stateful, status, version, format, encrypted,
          offset_seconds, use_last_completed, use_query_labels, date_time_utc, time_zone, segments, submitted_at)
        VALUES ('j1', 't1', 'job:j1', 0, 'submitted', '1.2', 'csv', 'none', 0, 0, 0, 0, 'Europe/Paris', 0, 1700000000000);
        INSERT INTO batches (id, job_id, position, name, query, language, api_version, "full", status)
        VALUES ('b1', 'j1', 0, 'q', 'select Id from Account', 'zoqlexport', '1.0', 1, 'pending')`);
    file.close();
    const meta = openMeta(location);
    try {
      assert.deepEqual(meta.tenants.tenantById('t1'), {
        id: 't1',
        name: 'old',
        timeZone: 'Europe/Paris',
        segments: true,
        createdAt: 1700000000000,
      });
      assert.equal(jobById(meta.jobs, 't1', 'j1')?.status, 'submitted');
      const claimed = claimNext(meta.jobs, {
        owner: 'w',
        now: 1700000001000,
        leaseMillis: 1000,
        queryMillis: 1000,
        segmentRows: 10,
        tenantDataPath: (id) => id,
      });
      assert.deepEqual(
        claimed?.task.batches.map((b) => b.query),
        ['select Id from Account'],
      );
      assert.equal(meta.tenants.pgpKey('t1'), undefined, 'the PGP keys table was added');
    } finally {
      meta.close();
    }
  });
});
