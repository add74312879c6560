import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { describe, it } from 'node:test';
import { ConfigError, resolveConfig, resolveSetting, SETTINGS } from '../../src/config.ts';
import { FILE_RETENTION_DAYS, JOB_RETENTION_DAYS } from '../../src/limits.ts';

describe('configuration', () => {
  it('has documented defaults', () => {
    assert.deepEqual(resolveConfig({}, {}), {
      port: 8080,
      host: '127.0.0.1',
      dataDir: './openaqua-data',
      databaseUrl: '',
      files: '',
      role: 'all',
      workers: availableParallelism(),
      exportThreads: availableParallelism(),
      leaseSeconds: 60,
      allowPrivateNotify: false,
      fileRetentionDays: FILE_RETENTION_DAYS,
      jobRetentionDays: JOB_RETENTION_DAYS,
      deletedRetentionDays: 30,
      logLevel: 'info',
      demoAccounts: 200,
      rateLimit: 600,
      authFailureLimit: 60,
    });
  });

  it('takes the environment over defaults and flags over the environment', () => {
    const env = { OPENAQUA_DATA: '/srv/env', OPENAQUA_PORT: '9000', OPENAQUA_ALLOW_PRIVATE_NOTIFY: 'true' };
    const fromEnv = resolveConfig({}, env);
    assert.equal(fromEnv.dataDir, '/srv/env');
    assert.equal(fromEnv.port, 9000);
    assert.equal(fromEnv.allowPrivateNotify, true);
    const fromFlags = resolveConfig(
      { data: '/srv/flag', port: '0', workers: '3', allowPrivateNotify: false },
      env,
    );
    assert.equal(fromFlags.dataDir, '/srv/flag');
    assert.equal(fromFlags.port, 0);
    assert.equal(fromFlags.workers, 3);
    assert.equal(fromFlags.allowPrivateNotify, false);
    assert.equal(resolveSetting('fileRetentionDays', { fileRetentionDays: '3' }, {}), 3);
  });

  it('names the flag or variable of a bad value', () => {
    assert.throws(
      () => resolveConfig({ port: 'http' }, {}),
      new ConfigError("--port: must be an integer from 0 to 65535, not 'http'"),
    );
    assert.throws(
      () => resolveConfig({}, { OPENAQUA_WORKERS: '0' }),
      new ConfigError("OPENAQUA_WORKERS: must be an integer from 1 to 1024, not '0'"),
    );
    assert.throws(
      () => resolveConfig({}, { OPENAQUA_ALLOW_PRIVATE_NOTIFY: 'maybe' }),
      new ConfigError("OPENAQUA_ALLOW_PRIVATE_NOTIFY: must be true or false, not 'maybe'"),
    );
  });

  it('keeps one row per setting with flag, variable, default and description', () => {
    assert.equal(new Set(SETTINGS.map((s) => s.key)).size, SETTINGS.length);
    for (const s of SETTINGS) {
      assert.match(s.flag, /^--[a-z-]+( <[a-z]+>)?$/, s.key);
      assert.match(s.env, /^OPENAQUA_[A-Z_]+$/, s.key);
      assert.ok(s.description.length > 10 && s.defaultText.length > 0, s.key);
    }
  });
});

describe('scale-out settings', () => {
  it('takes a PostgreSQL URL and refuses anything else with a message naming the setting', () => {
    const url = 'postgres://aqua:secret@db.internal:5432/aqua';
    assert.equal(resolveConfig({ databaseUrl: url }, {}).databaseUrl, url);
    assert.equal(resolveConfig({}, { OPENAQUA_DATABASE_URL: url }).databaseUrl, url);
    assert.throws(
      () => resolveConfig({ databaseUrl: 'mysql://x@h/db' }, {}),
      (e: Error) => e instanceof ConfigError && /^--database-url: .*postgres:\/\//.test(e.message),
    );
    assert.throws(
      () => resolveConfig({}, { OPENAQUA_DATABASE_URL: 'not a url' }),
      (e: Error) => e.message.startsWith('OPENAQUA_DATABASE_URL: the database URL must look like'),
    );
  });

  it('knows the three roles and nothing else', () => {
    for (const role of ['api', 'worker', 'all']) assert.equal(resolveConfig({ role }, {}).role, role);
    assert.throws(
      () => resolveConfig({ role: 'both' }, {}),
      /--role: must be api, worker or all, not 'both'/,
    );
  });

  it('takes the lease in whole seconds', () => {
    assert.equal(resolveConfig({}, { OPENAQUA_LEASE_SECONDS: '5' }).leaseSeconds, 5);
    assert.throws(
      () => resolveConfig({ leaseSeconds: '0' }, {}),
      /--lease-seconds: must be an integer from 1/,
    );
  });
});
