import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contentTypeFor } from '../../src/export/index.ts';

describe('content types of result files', () => {
  it('follow the file format, in any case', () => {
    assert.equal(contentTypeFor('csv', 'none'), 'text/csv;charset=UTF-8');
    assert.equal(contentTypeFor('CSV', false), 'text/csv;charset=UTF-8');
    assert.equal(contentTypeFor('zip', 'none'), 'application/zip;charset=UTF-8');
    assert.equal(contentTypeFor('GZIP', 'none'), 'application/x-gzip;charset=UTF-8');
  });

  it('are application/pgp-encrypted for every encrypted file', () => {
    for (const format of ['csv', 'zip', 'gzip']) {
      assert.equal(contentTypeFor(format, 'pgp'), 'application/pgp-encrypted');
      assert.equal(contentTypeFor(format, 'PGP'), 'application/pgp-encrypted');
      assert.equal(contentTypeFor(format, true), 'application/pgp-encrypted');
    }
  });
});
