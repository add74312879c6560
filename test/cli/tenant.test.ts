import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openTenantRegistry } from '../../src/tenants/index.ts';
import { locationFor, openaqua } from './run.ts';

describe('openaqua tenant', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'openaqua-cli-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('creates a tenant and prints its credentials as JSON', async () => {
    const res = await openaqua([
      'tenant',
      'create',
      'acme',
      '--username',
      'ops',
      '--password',
      'hunter22',
      '--json',
      '--data',
      dir,
    ]);
    assert.equal(res.code, 0, res.stderr);
    const out = JSON.parse(res.stdout);
    assert.deepEqual(Object.keys(out), ['tenant', 'username', 'password', 'clientId', 'clientSecret']);
    assert.equal(out.tenant, 'acme');
    assert.equal(out.username, 'ops');
    assert.equal(out.password, 'hunter22');
    const registry = openTenantRegistry({ location: locationFor(dir) });
    try {
      assert.equal((await registry.authenticatePassword('ops', 'hunter22'))?.name, 'acme');
      assert.equal((await registry.authenticateClient(out.clientId, out.clientSecret))?.name, 'acme');
    } finally {
      registry.close();
    }
  });

  it('creates a tenant with generated secrets and prints them readably, taking the directory from OPENAQUA_DATA', async () => {
    const res = await openaqua(['tenant', 'create', 'globex', '--time-zone', 'Europe/Paris'], {
      OPENAQUA_DATA: dir,
    });
    assert.equal(res.code, 0, res.stderr);
    assert.match(
      res.stdout,
      /^Created tenant globex \(id [0-9a-f]{32}, time zone Europe\/Paris, segments off\)\.\n/,
    );
    assert.match(
      res.stdout,
      /\n {2}username: {6}globex\n {2}password: {6}\S{24}\n {2}client id: {5}[0-9a-f]{32}\n {2}client secret: \S{40}\n/,
    );
  });

  it('changes segments and time zone', async () => {
    const res = await openaqua([
      'tenant',
      'set',
      'acme',
      '--segments',
      'on',
      '--time-zone',
      'UTC',
      '--data',
      dir,
    ]);
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /^Tenant acme \(id [0-9a-f]{32}, time zone UTC, segments on\)\.\n$/);
    const off = await openaqua(['tenant', 'set', 'acme', '--segments', 'off', '--data', dir]);
    assert.match(off.stdout, /time zone UTC, segments off/);
  });

  it('lists tenants', async () => {
    const res = await openaqua(['tenant', 'list', '--json', '--data', dir]);
    assert.equal(res.code, 0, res.stderr);
    const list = JSON.parse(res.stdout);
    assert.deepEqual(
      list.map((t: { name: string; timeZone: string; segments: boolean }) => [
        t.name,
        t.timeZone,
        t.segments,
      ]),
      [
        ['acme', 'UTC', false],
        ['globex', 'Europe/Paris', false],
      ],
    );
    const text = await openaqua(['tenant', 'list', '--data', dir]);
    assert.equal(text.stdout.split('\n').filter(Boolean).length, 2);
  });

  it('reports mistakes on stderr with exit code 1', async () => {
    const dup = await openaqua(['tenant', 'create', 'acme', '--data', dir]);
    assert.equal(dup.code, 1);
    assert.match(dup.stderr, /openaqua: tenant 'acme' already exists/);
    const missing = await openaqua(['tenant', 'set', 'nope', '--segments', 'on', '--data', dir]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /openaqua: no tenant named 'nope'/);
    const badFlag = await openaqua(['tenant', 'set', 'acme', '--segments', 'maybe', '--data', dir]);
    assert.equal(badFlag.code, 1);
    assert.match(badFlag.stderr, /must be on or off/);
  });
});
