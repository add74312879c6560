import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Json } from '../api/server.ts';
import { listening, spawnServe } from './run.ts';

interface Started {
  child: ChildProcess;
  url: string;
  stdout: () => string;
}

/** Starts `openaqua serve` on a free port and waits for the line with its address. */
async function serve(dir: string, firstStart: boolean): Promise<Started> {
  const child = spawnServe(dir, { demoAccounts: 5, logLevel: 'silent' });
  // On a first start the credentials follow the address: wait for the whole banner.
  return { child, ...(await listening(child, { banner: firstStart })) };
}

function stopped(child: ChildProcess, signal: NodeJS.Signals): Promise<number | null> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.on('exit', (code) => resolve(code));
    child.kill(signal);
  });
}

describe('openaqua serve', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'openaqua-serve-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('creates and seeds the demo tenant on first start, prints its credentials, and stops on SIGTERM', async () => {
    const server = await serve(dir, true);
    const out = server.stdout();
    const field = (label: string) => new RegExp(`\\n {2}${label}: +(\\S+)\\n`).exec(out)?.[1];
    const username = field('username');
    const password = field('password');
    const clientId = field('client id');
    const clientSecret = field('client secret');
    assert.equal(username, 'demo');
    assert.ok(password && clientId && clientSecret, out);

    const basic = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
    const describe = await fetch(`${server.url}/v1/describe`, { headers: { authorization: basic } });
    assert.equal(describe.status, 200);
    const account = await fetch(`${server.url}/v1/batch-query/`, {
      method: 'POST',
      headers: { authorization: basic, 'content-type': 'application/json' },
      body: JSON.stringify({
        version: '1.0',
        queries: [{ name: 'n', query: 'select count(Id) from Account', type: 'zoqlexport' }],
      }),
    });
    const job = (await account.json()) as Json;
    let status = job.status;
    let fileId: string | undefined;
    for (let i = 0; i < 300 && status !== 'completed'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      const polled = (await (
        await fetch(`${server.url}/v1/batch-query/jobs/${job.id}`, { headers: { authorization: basic } })
      ).json()) as Json;
      status = polled.status;
      fileId = polled.batches[0].fileId;
    }
    assert.equal(status, 'completed');
    const file = await fetch(`${server.url}/v1/file/${fileId}`, { headers: { authorization: basic } });
    assert.equal(await file.text(), 'count(Account.Id)\n5\n');

    const token = await fetch(`${server.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: clientId!,
        client_secret: clientSecret!,
      }),
    });
    assert.equal(token.status, 200);
    assert.equal(await stopped(server.child, 'SIGTERM'), 0);
  });

  it('keeps its tenants on the next start, creating no demo tenant, and stops on SIGINT', async () => {
    const server = await serve(dir, false);
    assert.ok(!server.stdout().includes('Created tenant demo'));
    const res = await fetch(`${server.url}/v1/describe`);
    assert.equal(res.status, 401);
    assert.equal(await stopped(server.child, 'SIGINT'), 0);
  });
});
