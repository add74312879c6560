import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LocalFileStore, openFileStore, parseS3Spec, S3FileStore } from '../../src/files/index.ts';

describe('openFileStore: a directory or s3://bucket[/prefix]', () => {
  it('opens a local store on the default directory when nothing is given', () => {
    for (const spec of [undefined, '']) {
      const files = openFileStore(spec, '/var/lib/openaqua/files');
      assert.ok(files instanceof LocalFileStore);
      assert.equal(files.root, '/var/lib/openaqua/files');
    }
  });

  it('opens a local store on a path, absolute or relative', () => {
    for (const spec of ['/mnt/results', 'results', './data/files', 's3-results', 'C:files']) {
      const files = openFileStore(spec, '/data/files');
      assert.ok(files instanceof LocalFileStore, spec);
      assert.equal(files.root, spec);
    }
  });

  it('opens an S3 store with temporary files under the local directory', () => {
    const cases: [string, string, string][] = [
      ['s3://exports', 'exports', ''],
      ['s3://exports/', 'exports', ''],
      ['s3://exports/aqua', 'exports', 'aqua'],
      ['s3://my.bucket-1/aqua/prod/', 'my.bucket-1', 'aqua/prod'],
    ];
    for (const [spec, bucket, prefix] of cases) {
      const files = openFileStore(spec, '/data/files');
      assert.ok(files instanceof S3FileStore, spec);
      assert.equal(files.bucket, bucket);
      assert.equal(files.prefix, prefix);
      assert.equal(files.localTempDir, '/data/files');
      files.destroy();
    }
  });

  it('refuses other URLs and malformed S3 specs with a clear message', () => {
    for (const spec of [
      's3://',
      's3:///prefix',
      's3://Upper',
      's3://ab',
      's3://under_score',
      's3://-bucket',
      's3://a..b',
      's3://192.168.0.1',
      's3://bucket//double',
      's3://bucket/../up',
      's3://bucket/sp ace',
      'http://example.com/files',
      'S3://bucket',
      'file:///tmp/x',
      '   ',
    ]) {
      assert.throws(
        () => openFileStore(spec, '/data/files'),
        { message: `--files must be a directory or s3://bucket[/prefix], not '${spec}'` },
        spec,
      );
    }
  });

  it('parses only s3:// specs', () => {
    assert.deepEqual(parseS3Spec('s3://b-1/x/y'), { bucket: 'b-1', prefix: 'x/y' });
    assert.equal(parseS3Spec('/data/files'), undefined);
    assert.equal(parseS3Spec('s3://no_such'), undefined);
  });
});
