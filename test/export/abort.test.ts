import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { type FileFormat, writeCsvStream, writeResultFile } from '../../src/export/index.ts';
import { header, tempDir, types, utc } from './fixtures.ts';

const dir = tempDir();

/** Endless rows that abort `ctl` after `at` rows and record whether the cursor was closed. */
function endless(ctl: AbortController, at: number, reason?: unknown) {
  const state = { pulled: 0, closed: false };
  function* rows() {
    try {
      for (;;) {
        if (state.pulled === at) ctl.abort(reason);
        state.pulled++;
        yield [`id${state.pulled}`, 'x', 1.5, 0];
      }
    } finally {
      state.closed = true;
    }
  }
  return { rows: rows(), state };
}

describe('aborting an export', () => {
  for (const format of ['csv', 'gzip', 'zip'] as FileFormat[]) {
    it(`stops pulling rows, closes the cursor and removes the partial ${format} file`, async () => {
      const path = join(dir, `aborted.${format}`);
      const ctl = new AbortController();
      const { rows, state } = endless(ctl, 50_000);
      await assert.rejects(
        writeResultFile({
          rows,
          header,
          types,
          options: utc,
          format,
          entryName: 'x',
          path,
          signal: ctl.signal,
        }),
        { name: 'AbortError' },
      );
      assert.equal(existsSync(path), false);
      assert.equal(state.closed, true);
      // Rows are pulled a chunk ahead at most.
      assert.ok(state.pulled < 52_000, `pulled ${state.pulled} rows`);
    });
  }

  it('rejects with the reason given to abort() when it is an Error', async () => {
    const path = join(dir, 'reason.csv');
    const ctl = new AbortController();
    const { rows } = endless(ctl, 10_000, new Error('cancelled by the user'));
    await assert.rejects(
      writeResultFile({
        rows,
        header,
        types,
        options: utc,
        format: 'csv',
        entryName: 'x',
        path,
        signal: ctl.signal,
      }),
      /cancelled by the user/,
    );
    assert.equal(existsSync(path), false);
  });

  it('writes nothing when the signal is already aborted', async () => {
    const path = join(dir, 'early.csv');
    await assert.rejects(
      writeResultFile({
        rows: [['a', 'b', 1, 0]],
        header,
        types,
        options: utc,
        format: 'csv',
        entryName: 'x',
        path,
        signal: AbortSignal.abort(),
      }),
      { name: 'AbortError' },
    );
    assert.equal(existsSync(path), false);
  });

  it('ends a wait for a reader that stopped reading', async () => {
    const out = new PassThrough({ highWaterMark: 1024 });
    const ctl = new AbortController();
    const rows = Array.from({ length: 100_000 }, (_, i) => [`id${i}`, 'x', 1, 0]);
    const run = writeCsvStream({ rows, header, types, options: utc, out, signal: ctl.signal });
    setTimeout(() => ctl.abort(), 50);
    await assert.rejects(run, { name: 'AbortError' });
    assert.ok(out.readableLength < 200_000, `${out.readableLength} bytes buffered`);
  });

  it('leaves the directory as it found it', () => {
    assert.deepEqual(readdirSync(dir), []);
  });
});
