import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { NotifyRefused } from '../../src/jobs/index.ts';
import { JOBID, STATUS } from './helpers.ts';
import { type ServiceFixture, serviceFixture } from './service-fixture.ts';

describe('the job service calls notifyUrl once when a job ends', () => {
  let server: Server;
  let base: string;
  let calls: string[];
  let arrived: () => void;
  let nextCall: Promise<void>;
  const expectCall = () => {
    nextCall = new Promise((r) => {
      arrived = r;
    });
  };
  beforeEach(async () => {
    calls = [];
    expectCall();
    server = createServer((req, res) => {
      calls.push(req.url ?? '');
      res.end();
      arrived();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    await new Promise((r) => server.close(r));
  });

  async function withService(allow: boolean, fn: (fx: ServiceFixture, errors: unknown[]) => Promise<void>) {
    const errors: unknown[] = [];
    const fx = serviceFixture({ allowPrivateNotify: allow, onError: (e) => errors.push(e) });
    try {
      fx.store.create('Account', { Name: 'Acme' });
      await fn(fx, errors);
    } finally {
      await fx.close();
    }
  }

  it('completed: one GET with the job id and status filled in', async () => {
    await withService(true, async (fx) => {
      const { id } = fx.jobs.submit(fx.tenant, {
        notifyUrl: `${base}/hook?job=${JOBID}&status=${STATUS}`,
        queries: [{ query: 'select Name from Account' }],
      });
      await fx.jobs.runOnce();
      await nextCall;
      assert.deepEqual(calls, [`/hook?job=${id}&status=completed`]);
    });
  });

  it('cancelled: called at the cancel, and only then', async () => {
    await withService(true, async (fx) => {
      const { id } = fx.jobs.submit(fx.tenant, {
        notifyUrl: `${base}/hook/${JOBID}/${STATUS}`,
        queries: [{ query: 'select Name from Account' }],
      });
      fx.jobs.cancel(fx.tenant, id as string);
      await nextCall;
      assert.equal(await fx.jobs.runOnce(), false);
      assert.deepEqual(calls, [`/hook/${id}/cancelled`]);
    });
  });

  it('refused for 127.0.0.1 when private targets are not allowed', async () => {
    await withService(false, async (fx, errors) => {
      fx.jobs.submit(fx.tenant, {
        notifyUrl: `${base}/hook`,
        queries: [{ query: 'select Name from Account' }],
      });
      await fx.jobs.runOnce();
      while (errors.length === 0) await new Promise((r) => setImmediate(r));
      assert.ok(errors[0] instanceof NotifyRefused);
      assert.equal(
        (errors[0] as Error).message,
        'notifyUrl host 127.0.0.1 is not a public address (127.0.0.1)',
      );
      assert.deepEqual(calls, []);
    });
  });
});
