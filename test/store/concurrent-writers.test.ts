import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openTenantStore } from '../../src/store/index.ts';
import { newTenantId, tempStore } from './temp-store.ts';

const WRITER = fileURLToPath(new URL('./writer-process.ts', import.meta.url));
const PROCESSES = 3;
const WRITES = 40;

function exited(child: ReturnType<typeof spawn>): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe('several processes on one new tenant', () => {
  it('create it once, number their writes in commit order, and every snapshot sees a prefix', async () => {
    const t = tempStore();
    const tenantId = newTenantId();
    const children = Array.from({ length: PROCESSES }, () =>
      spawn(
        process.execPath,
        ['--import', 'tsx', WRITER, JSON.stringify(t.location), tenantId, String(WRITES)],
        {
          stdio: ['ignore', 'ignore', 'inherit'],
        },
      ),
    );
    const codes = Promise.all(children.map(exited));
    let done = false;
    void codes.then(() => {
      done = true;
    });
    const store = openTenantStore(t.location, tenantId);
    try {
      let checks = 0;
      const check = (): number => {
        const [seq, rows] = store.snapshot((s) => {
          const [row] = [
            ...s.rows({
              sql: 'SELECT count(*), count(DISTINCT "_seq"), coalesce(max("_seq"), 0) FROM "Account"',
              params: [],
            }),
          ];
          return [s.seq, row] as const;
        });
        // One Account per write: the snapshot at seq n holds exactly the writes numbered 1..n.
        assert.deepEqual(rows, [seq, seq, seq]);
        checks++;
        return seq;
      };
      while (!done) {
        check();
        await new Promise((r) => setTimeout(r, 2));
      }
      assert.deepEqual(await codes, new Array(PROCESSES).fill(0));
      assert.equal(check(), PROCESSES * WRITES);
      assert.ok(checks > 1);
    } finally {
      store.close();
      t.done();
    }
  });
});
