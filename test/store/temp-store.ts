import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FixedClock } from '../../src/clock.ts';
import { openTenantStore, type SqliteTenantStore, type TenantStoreOptions } from '../../src/store/index.ts';

/** 2024-01-15T12:00:00Z: the time tests start at. */
export const T0 = Date.UTC(2024, 0, 15, 12);

/** A temporary directory removed by the returned cleanup. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'openaqua-store-'));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** A store in a fresh temporary file with a fixed clock; `done` closes it and removes the file. */
export function tempStore(opts: TenantStoreOptions = {}): {
  store: SqliteTenantStore;
  clock: FixedClock;
  file: string;
  done: () => void;
} {
  const { dir, cleanup } = tempDir();
  const clock = new FixedClock(T0);
  const file = path.join(dir, 'tenant.db');
  const store = openTenantStore(file, { clock, timeZone: 'America/Los_Angeles', ...opts });
  return {
    store,
    clock,
    file,
    done: () => {
      store.close();
      cleanup();
    },
  };
}

/** Runs a query in a snapshot and returns every row. */
export function query(store: SqliteTenantStore, sql: string, params: unknown[] = []): unknown[][] {
  return store.snapshot((snap) => [...snap.rows({ sql, params: params as never })]);
}
