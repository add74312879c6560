import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { writeCsvStream } from '../../src/export/index.ts';
import { header, headerLine, invoiceLine, invoices, types, utc } from './fixtures.ts';

describe('CSV to a caller-owned stream', () => {
  it('waits for a slow reader, counts the bytes and leaves the stream open', async () => {
    const out = new PassThrough({ highWaterMark: 16 * 1024 });
    const received: Buffer[] = [];
    let most = 0;
    const reading = (async () => {
      for await (const chunk of out) {
        received.push(chunk as Buffer);
        most = Math.max(most, out.readableLength + out.writableLength);
        await sleep(1);
      }
    })();
    const pulled = { rows: 0 };
    function* rows() {
      for (const r of invoices(20_000)) {
        pulled.rows++;
        yield r;
      }
    }
    const r = await writeCsvStream({ rows: rows(), header, types, options: utc, out });
    assert.equal(out.writableEnded, false);
    out.end();
    await reading;
    const text = Buffer.concat(received).toString('utf8');
    assert.equal(r.rows, 20_000);
    assert.equal(r.bytes, Buffer.byteLength(text));
    assert.equal(text, headerLine + Array.from({ length: 20_000 }, (_, i) => invoiceLine(i)).join(''));
    // Backpressure: never much more than one write chunk waits in the stream.
    assert.ok(most < 256 * 1024, `${most} bytes were waiting`);
  });
});
