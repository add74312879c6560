import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { EXPORT_THREAD_NICE } from '../../src/limits.ts';
import { type ServiceFixture, serviceFixture } from './service-fixture.ts';

/** The nice value of every thread of this process, by thread id (Linux). */
function threadNices(): Map<number, number> {
  const out = new Map<number, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): state is field 3, nice field 19.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    out.set(Number(tid), Number(fields[16]));
  }
  return out;
}

describe('export threads run at a lower priority than the thread answering requests', {
  skip: process.platform !== 'linux',
}, () => {
  let fx: ServiceFixture;
  beforeEach(() => {
    fx = serviceFixture({ workers: 1 });
    fx.store.create('Account', { Name: 'one' });
  });
  afterEach(() => fx.close());

  it('a job worker thread takes EXPORT_THREAD_NICE; the main thread keeps its own', async () => {
    const before = threadNices();
    fx.jobs.start();
    const { id } = fx.jobs.submit(fx.tenant, { queries: [{ query: 'select Name from Account' }] });
    while (fx.jobs.get(fx.tenant, id as string)?.status !== 'completed')
      await new Promise((r) => setTimeout(r, 10));
    const after = threadNices();
    assert.equal(after.get(process.pid), before.get(process.pid));
    const lowered = [...after].filter(([tid, nice]) => !before.has(tid) && nice === EXPORT_THREAD_NICE);
    assert.equal(lowered.length, 1, JSON.stringify([...after]));
  });
});
