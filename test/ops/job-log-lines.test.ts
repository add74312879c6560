import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { spawnServe } from '../cli/run.ts';

describe('server logs (a real process)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'openaqua-logs-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('puts the request id on HTTP lines and the job id on every job line, and stops on SIGTERM', async () => {
    const child = spawnServe(dir, { demoAccounts: 3, logLevel: 'info' });
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString('utf8');
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const deadline = Date.now() + 60_000;
    const waitFor = async (re: RegExp) => {
      for (;;) {
        const m = re.exec(out);
        if (m) return m;
        if (Date.now() > deadline) throw new Error(`no ${re} in:\n${out}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    const url = (await waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/))[1]!;
    const password = (await waitFor(/password:?\s+(\S+)/i))[1]!;
    const auth = `Basic ${Buffer.from(`demo:${password}`).toString('base64')}`;
    const res = await fetch(`${url}/v1/batch-query/`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: JSON.stringify({
        version: '1.0',
        queries: [{ name: 'a', query: 'select Id from Account', type: 'zoqlexport' }],
      }),
    });
    const jobId = ((await res.json()) as { id: string }).id;
    await waitFor(/"msg":"job ended"/);
    child.kill('SIGTERM');
    assert.equal(await exited, 0);

    const lines = out
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const jobLines = lines.filter((l) =>
      ['job started', 'batch finished', 'job ended'].includes(String(l.msg)),
    );
    assert.deepEqual(
      jobLines.map((l) => [l.msg, l.jobId]),
      [
        ['job started', jobId],
        ['batch finished', jobId],
        ['job ended', jobId],
      ],
    );
    assert.equal(jobLines[1]!.rows, 3);
    assert.equal(jobLines[2]!.status, 'completed');
    const http = lines.filter((l) => l.msg === 'incoming request' || l.msg === 'request completed');
    assert.ok(http.length >= 2);
    for (const l of http) assert.match(String(l.reqId), /^[0-9a-f]{32}$/);
    assert.match(out, /SIGTERM: stopping/);
  });
});
