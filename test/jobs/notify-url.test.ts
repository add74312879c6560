import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { isPrivateAddress, NotifyRefused, notifyJobEnd } from '../../src/jobs/notify.ts';
import { JOBID, STATUS } from './helpers.ts';

describe('notifyUrl: one GET with the placeholders filled, retried, never redirected, public targets only', () => {
  let server: Server;
  let base: string;
  const seen: string[] = [];
  let answers: number[] = [];
  beforeEach(async () => {
    seen.length = 0;
    answers = [];
    server = createServer((req, res) => {
      seen.push(req.url ?? '');
      const code = answers.shift() ?? 200;
      res.writeHead(code, code === 302 ? { location: '/elsewhere' } : {});
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    await new Promise((r) => server.close(r));
  });

  const allow = { allowPrivate: true, backoffMs: [0, 0] };

  it('fills the JOBID and STATUS placeholders and calls once', async () => {
    const out = await notifyJobEnd(
      `${base}/done?job=${JOBID}&status=${STATUS}`,
      'abc123',
      'completed',
      allow,
    );
    assert.deepEqual(out, { delivered: true, tries: 1, statusCode: 200 });
    assert.deepEqual(seen, ['/done?job=abc123&status=completed']);
  });

  it('tries again after 5xx, three tries in all', async () => {
    answers = [503, 500, 204];
    const out = await notifyJobEnd(`${base}/n`, 'j', 'aborted', allow);
    assert.deepEqual(out, { delivered: true, tries: 3, statusCode: 204 });
    assert.equal(seen.length, 3);
  });

  it('gives up after three failed tries', async () => {
    answers = [502, 502, 502, 200];
    const out = await notifyJobEnd(`${base}/n`, 'j', 'aborted', allow);
    assert.deepEqual(out, { delivered: false, tries: 3, error: 'HTTP 502' });
    assert.equal(seen.length, 3);
  });

  it('does not follow a redirect', async () => {
    answers = [302];
    const out = await notifyJobEnd(`${base}/n`, 'j', 'cancelled', allow);
    assert.deepEqual(out, { delivered: true, tries: 1, statusCode: 302 });
    assert.deepEqual(seen, ['/n']);
  });

  it('refuses 127.0.0.1 and localhost unless private targets are allowed', async () => {
    for (const url of [`${base}/n`, `http://localhost:${new URL(base).port}/n`]) {
      await assert.rejects(
        notifyJobEnd(url, 'j', 'completed', { allowPrivate: false, backoffMs: [0, 0] }),
        (e: unknown) =>
          e instanceof NotifyRefused && /is not a public address \((127\.0\.0\.1|::1)\)/.test(e.message),
      );
    }
    assert.deepEqual(seen, []);
  });

  it('classifies addresses', () => {
    for (const a of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '224.0.0.1',
      '255.255.255.255',
      '::1',
      '::',
      'fe80::1',
      'fd00::1',
      '::ffff:127.0.0.1',
      '::ffff:10.0.0.1',
    ]) {
      assert.equal(isPrivateAddress(a), true, a);
    }
    for (const a of ['93.184.216.34', '8.8.8.8', '172.32.0.1', '2606:4700::1111', '::ffff:8.8.8.8']) {
      assert.equal(isPrivateAddress(a), false, a);
    }
  });
});
