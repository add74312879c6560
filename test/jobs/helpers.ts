import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FixedClock } from '../../src/clock.ts';
import { newId } from '../../src/ids.ts';
import type { Tenant } from '../../src/jobs/index.ts';
import type { RunBatch, RunTask } from '../../src/jobs/task.ts';
import type { MetaDb } from '../../src/store/meta/jobs.ts';
import { openMetaJobs } from '../../src/store/meta/open.ts';

/** 2024-03-01T12:00:00Z: 04:00 in America/Los_Angeles (PST, -08:00). */
export const T0 = Date.UTC(2024, 2, 1, 12, 0, 0);

export function makeTenant(over: Partial<Tenant> = {}): Tenant {
  return { id: newId(), name: 'acme', timeZone: 'America/Los_Angeles', segments: false, ...over };
}

/** A temporary directory removed by `cleanup`. */
export function tempDir(): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'openaqua-jobs-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A meta database in a temporary directory, with a fixed clock and the submit step's dependencies. */
export function metaFixture(): {
  dir: string;
  db: MetaDb;
  clock: FixedClock;
  deps: { db: MetaDb; clock: FixedClock; newId: () => string };
  close(): void;
} {
  const { dir, cleanup } = tempDir();
  const db = openMetaJobs({ kind: 'sqlite', dataDir: dir });
  const clock = new FixedClock(T0);
  return {
    dir,
    db,
    clock,
    deps: { db, clock, newId },
    close() {
      db.close();
      cleanup();
    },
  };
}

/** Runs `fn` and returns what it threw (fails when it does not throw). */
export function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error, none was thrown');
}

export const ACCOUNT_QUERY = 'select Id, Name from Account';

/** The notifyUrl placeholders, spelled out of a template literal's way. */
export const JOBID = '$' + '{JOBID}';
export const STATUS = '$' + '{STATUS}';

/**
 * A stateless csv task of one batch per query (Export ZOQL, no deleted column, full), run at T0, for
 * runner tests; `over` changes any field.
 */
export function runTask(
  where: Pick<RunTask, 'tenantId' | 'dataPath' | 'timeZone'>,
  queries: readonly string[],
  over: Partial<RunTask> = {},
  batch: Partial<RunBatch> = {},
): RunTask {
  return {
    jobId: newId(),
    attempt: 1,
    ...where,
    now: T0,
    format: 'csv',
    useQueryLabels: true,
    dateTimeUtc: false,
    nullReplacement: null,
    stateful: false,
    segments: false,
    incrementalTime: null,
    offset: 0,
    queryMillis: 60_000,
    segmentRows: 500_000,
    batches: queries.map((query, i) => ({
      id: newId(),
      name: `q${i + 1}`,
      query,
      language: 'zoqlexport',
      deleted: null,
      full: true,
      afterSeq: null,
      ...batch,
    })),
    ...over,
  };
}
