import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openaqua } from '../cli/run.ts';
import { makeKeyPair, makeSigningOnlyKey, type TestKeyPair } from './keys.ts';

describe('openaqua tenant pgp-key', () => {
  let dir: string;
  let keys: TestKeyPair;
  const file = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'openaqua-cli-pgp-'));
    keys = await makeKeyPair();
    const res = await openaqua(['tenant', 'create', 'acme', '--data', dir]);
    assert.equal(res.code, 0, res.stderr);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('registers an armored public key, shows its fingerprint in the tenant listing, and removes it', async () => {
    const added = await openaqua([
      'tenant',
      'pgp-key',
      'acme',
      file('pub.asc', keys.publicKey),
      '--json',
      '--data',
      dir,
    ]);
    assert.equal(added.code, 0, added.stderr);
    const out = JSON.parse(added.stdout);
    assert.deepEqual(Object.keys(out), ['tenant', 'fingerprint', 'userIds']);
    assert.equal(out.tenant, 'acme');
    assert.match(out.fingerprint, /^[0-9A-F]{40}$/);
    assert.deepEqual(out.userIds, ['Result Files <files@example.com>']);

    const list = await openaqua(['tenant', 'list', '--data', dir]);
    assert.match(
      list.stdout,
      new RegExp(
        `^acme \\(id [0-9a-f]{32}, time zone America/Los_Angeles, segments off, pgp key ${out.fingerprint}\\)\\n$`,
      ),
    );
    const json = JSON.parse((await openaqua(['tenant', 'list', '--json', '--data', dir])).stdout);
    assert.equal(json[0].pgpFingerprint, out.fingerprint);

    const removed = await openaqua(['tenant', 'pgp-key', 'acme', '--remove', '--data', dir]);
    assert.equal(removed.code, 0, removed.stderr);
    assert.equal(
      removed.stdout,
      'Removed the PGP key of tenant acme; encrypted:"pgp" jobs are now refused.\n',
    );
    const again = await openaqua(['tenant', 'pgp-key', 'acme', '--remove', '--data', dir]);
    assert.equal(again.stdout, 'Tenant acme had no PGP key.\n');
    const after = JSON.parse((await openaqua(['tenant', 'list', '--json', '--data', dir])).stdout);
    assert.equal(after[0].pgpFingerprint, undefined);
  });

  it('prints a readable confirmation naming the key', async () => {
    const res = await openaqua([
      'tenant',
      'pgp-key',
      'acme',
      file('pub2.asc', keys.publicKey),
      '--data',
      dir,
    ]);
    assert.equal(res.code, 0, res.stderr);
    assert.match(
      res.stdout,
      /^Tenant acme: result files of encrypted:"pgp" jobs are encrypted to [0-9A-F]{40} \(Result Files <files@example\.com>\)\.\n$/,
    );
  });

  it('a bad key file is a usage error: exit 2 with a message saying what is wrong', async () => {
    const truncated = keys.publicKey.split('\n').slice(0, 4).join('\n');
    const cases: [string, string[], RegExp][] = [
      [
        'not a key',
        ['acme', file('junk.asc', 'hello world\n')],
        /^openaqua: not an ASCII-armored OpenPGP public key \(expected a '-----BEGIN PGP PUBLIC KEY BLOCK-----' block; gpg --armor --export <key id> writes one\)\n$/,
      ],
      [
        'a damaged key',
        ['acme', file('cut.asc', `${truncated}\n-----END PGP PUBLIC KEY BLOCK-----\n`)],
        /^openaqua: not a valid OpenPGP public key: .+\n$/,
      ],
      [
        'a private key',
        ['acme', file('priv.asc', keys.privateKey)],
        /^openaqua: this is a private key; register the public key only \(gpg --armor --export <key id>\)\n$/,
      ],
      [
        'a key that cannot encrypt',
        ['acme', file('sign.asc', await makeSigningOnlyKey())],
        /^openaqua: the key cannot be used to encrypt: Could not find valid encryption key packet in key [0-9a-f]{16}\n$/,
      ],
      [
        'a missing file',
        ['acme', join(dir, 'nowhere.asc')],
        /^openaqua: cannot read .*nowhere\.asc: ENOENT\n$/,
      ],
      [
        'an unknown tenant',
        ['nobody', file('pub3.asc', keys.publicKey)],
        /^openaqua: no tenant named 'nobody'\n$/,
      ],
      ['no file and no --remove', ['acme'], /^openaqua: give the armored public key file \(or --remove\)\n$/],
    ];
    for (const [what, args, message] of cases) {
      const res = await openaqua(['tenant', 'pgp-key', ...args, '--data', dir]);
      assert.equal(res.code, 2, what);
      assert.equal(res.stdout, '', what);
      assert.match(res.stderr, message, what);
    }
  });
});
