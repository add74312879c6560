import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { StoreLocation } from '../../src/store/location.ts';
import { TEST_STORE } from '../support/location.ts';
import { type MetaFixture, makeTenant, metaFixture } from './meta-fixture.ts';

const CLAIMER = fileURLToPath(new URL('./meta-claimer-process.ts', import.meta.url));

function runClaimer(location: StoreLocation, name: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLAIMER], {
      env: { ...process.env, META_LOCATION: JSON.stringify(location), CLAIMER: name },
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

describe(`claimer processes sharing one queue on ${TEST_STORE}`, () => {
  let fx: MetaFixture;
  beforeEach(() => {
    fx = metaFixture();
    const key =
      TEST_STORE === 'postgres'
        ? 'seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY'
        : 'seq INTEGER PRIMARY KEY AUTOINCREMENT';
    fx.db.exec(
      `CREATE TABLE claim_log (${key}, job_id TEXT NOT NULL, owner TEXT NOT NULL, event TEXT NOT NULL)`,
    );
  });
  afterEach(() => fx.close());

  it('every job runs once; each session runs its jobs one at a time, in the order submitted', async () => {
    const tenant = makeTenant();
    const sessions = new Map<string, string[]>();
    for (let round = 0; round < 8; round++) {
      for (const project of ['A', 'B', 'C']) {
        const list = sessions.get(project) ?? [];
        list.push(fx.submit(tenant, project));
        sessions.set(project, list);
      }
      fx.submit(tenant);
    }
    const results = await Promise.all(['c1', 'c2', 'c3'].map((name) => runClaimer(fx.location, name)));
    for (const r of results) assert.equal(r.code, 0, r.stderr);

    const statuses = fx.db
      .prepare('SELECT status, attempts, count(*) AS n FROM jobs GROUP BY status, attempts')
      .all();
    assert.deepEqual(statuses, [{ status: 'completed', attempts: 1, n: 32 }]);
    const log = fx.db.prepare('SELECT job_id, owner, event FROM claim_log ORDER BY seq').all() as {
      job_id: string;
      owner: string;
      event: string;
    }[];
    assert.equal(log.length, 64);
    for (const [project, ids] of sessions) {
      const events = log.filter((e) => ids.includes(e.job_id)).map((e) => `${e.event} ${e.job_id}`);
      assert.deepEqual(
        events,
        ids.flatMap((id) => [`start ${id}`, `end ${id}`]),
        `session ${project}: each job starts after the one before it ended`,
      );
    }
  });
});
