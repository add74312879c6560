import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { openTenantRegistry } from '../../src/tenants/index.ts';
import { makeKeyPair } from './keys.ts';

/** The tenant tables of a meta.sqlite written before PGP keys existed (the fixture being upgraded). */
const BEFORE_PGP_KEYS = [
  `CREATE TABLE tenants (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, time_zone TEXT NOT NULL,
    segments INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL) STRICT`,
  `CREATE TABLE credentials (kind TEXT NOT NULL CHECK (kind IN ('password', 'client')), identifier TEXT NOT NULL,
    tenant_id TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE, salt BLOB NOT NULL, hash BLOB NOT NULL,
    created_at INTEGER NOT NULL, PRIMARY KEY (kind, identifier)) STRICT`,
  `CREATE TABLE oauth_tokens (token_hash BLOB PRIMARY KEY, tenant_id TEXT NOT NULL REFERENCES tenants (id)
    ON DELETE CASCADE, jti TEXT NOT NULL, expires_at INTEGER NOT NULL) STRICT`,
  `INSERT INTO tenants VALUES ('0123456789abcdef0123456789abcdef', 'old', 'Europe/Paris', 1, 1700000000000)`,
];

describe('a meta.sqlite from before PGP keys', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'openaqua-upgrade-'));
    const db = new Database(join(dir, 'meta.sqlite'));
    for (const sql of BEFORE_PGP_KEYS) db.exec(sql);
    db.close();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('opens with its tenants intact and takes a key; the key survives reopening', async () => {
    const { publicKey } = await makeKeyPair();
    const first = openTenantRegistry({ dataDir: dir });
    try {
      assert.deepEqual(first.listTenants(), [
        { id: '0123456789abcdef0123456789abcdef', name: 'old', timeZone: 'Europe/Paris', segments: true },
      ]);
      const { key } = await first.setPgpKey('old', publicKey);
      assert.equal(first.pgpKey('0123456789abcdef0123456789abcdef'), key.armored);
    } finally {
      first.close();
    }
    const second = openTenantRegistry({ dataDir: dir });
    try {
      const tenant = second.findTenant('old');
      assert.match(tenant?.pgpFingerprint ?? '', /^[0-9A-F]{40}$/);
      assert.match(second.pgpKey(tenant!.id) ?? '', /^-----BEGIN PGP PUBLIC KEY BLOCK-----\n/);
    } finally {
      second.close();
    }
  });
});
