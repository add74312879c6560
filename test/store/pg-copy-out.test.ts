import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import pg from 'pg';
import { CopyOut } from '../../src/store/postgres/copy-out.ts';
import { createTestDatabase, type TestDatabase, testServerUrl } from '../support/postgres.ts';

const pg0 = await testServerUrl();
const skip = 'skip' in pg0 ? pg0.skip : false;

/** The CSV that COPY writes for text values `v` of table "t" in order of "k", computed by the server itself. */
const EXPECTED = `SELECT coalesce(string_agg(CASE WHEN v IS NULL THEN '' WHEN v = '' OR v ~ '[",\\r\\n]' THEN '"' || replace(v, '"', '""') || '"' ELSE v END || E'\\n', '' ORDER BY k), '') AS csv FROM t`;
const COPY = `COPY (SELECT v FROM t ORDER BY k) TO STDOUT (FORMAT csv)`;

async function copy(
  client: pg.Client,
  sql: string,
  wait?: () => Promise<void>,
): Promise<{ bytes: Buffer; rows: number; pieces: number }> {
  const out = new CopyOut(sql);
  client.query(out);
  const chunks: Buffer[] = [];
  for await (const c of out) {
    chunks.push(Buffer.from(c as Buffer));
    if (wait) await wait();
  }
  return { bytes: Buffer.concat(chunks), rows: await out.rows, pieces: chunks.length };
}

describe('CopyOut: COPY TO STDOUT read off the socket', { skip }, () => {
  let db: TestDatabase;
  let client: pg.Client;
  before(async () => {
    db = createTestDatabase((pg0 as { url: string }).url);
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
    await client.query('CREATE TABLE t (k int PRIMARY KEY, v text)');
  });
  after(async () => {
    await client?.end();
    db?.drop();
  });

  async function fill(values: (string | null)[]): Promise<void> {
    await client.query('TRUNCATE t');
    await client.query('INSERT INTO t SELECT k, v FROM unnest($1::text[]) WITH ORDINALITY AS u(v, k)', [
      values,
    ]);
  }

  it('gives the bytes COPY writes, for any text, and the row count; the connection goes on', async () => {
    const text = fc.string({
      unit: fc.constantFrom('a', 'é', '"', ',', '\n', '\r', ' ', '😀', '\\'),
      maxLength: 30,
    });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.option(text, { nil: null }), { maxLength: 40 }), async (values) => {
        await fill(values);
        const expected = (await client.query(EXPECTED)).rows[0].csv as string;
        const got = await copy(client, COPY);
        assert.equal(got.bytes.toString('utf8'), expected);
        assert.equal(got.rows, values.length);
        assert.equal((await client.query('SELECT count(*)::int AS n FROM t')).rows[0].n, values.length);
      }),
      { numRuns: 40 },
    );
  });

  it('reads rows larger than a socket read, and many rows whose headers fall across reads', async () => {
    for (const [n, size] of [
      [3, 300_000],
      [20_000, 37],
      [50_000, 1],
    ] as const) {
      await client.query('TRUNCATE t');
      await client.query(
        `INSERT INTO t SELECT k, repeat(chr(97 + k % 26), $2) FROM generate_series(1, $1::int) AS k`,
        [n, size],
      );
      const expected = (await client.query(EXPECTED)).rows[0].csv as string;
      const got = await copy(client, COPY);
      assert.equal(got.rows, n);
      assert.equal(got.bytes.length, Buffer.byteLength(expected));
      assert.ok(got.bytes.equals(Buffer.from(expected)), `${n} rows of ${size}`);
    }
  });

  it('keeps every byte when its reader is slow (the socket waits)', async () => {
    await client.query('TRUNCATE t');
    await client.query(`INSERT INTO t SELECT k, repeat('x', 100) || k FROM generate_series(1, 30000) AS k`);
    const expected = (await client.query(EXPECTED)).rows[0].csv as string;
    let reads = 0;
    const got = await copy(client, COPY, () =>
      reads++ % 8 === 0 ? new Promise((resolve) => setTimeout(resolve, 5)) : Promise.resolve(),
    );
    assert.equal(got.rows, 30_000);
    assert.ok(got.bytes.equals(Buffer.from(expected)));
  });

  it('skips notices sent during the COPY', async () => {
    await fill(['a', 'b', 'c']);
    await client.query(`CREATE OR REPLACE FUNCTION noisy(v text) RETURNS text LANGUAGE plpgsql AS
      $$ BEGIN RAISE NOTICE 'row %', v; RETURN v; END $$`);
    const notices: string[] = [];
    const onNotice = (n: { message?: string }) => notices.push(String(n.message));
    client.on('notice', onNotice);
    try {
      const got = await copy(client, `COPY (SELECT noisy(v) FROM t ORDER BY k) TO STDOUT (FORMAT csv)`);
      assert.equal(got.bytes.toString(), 'a\nb\nc\n');
      assert.equal(got.rows, 3);
    } finally {
      client.off('notice', onNotice);
    }
    assert.equal((await client.query('SELECT 1 AS one')).rows[0].one, 1);
  });

  it('fails with the server error of a COPY that breaks midway, and the connection stays usable', async () => {
    await client.query('TRUNCATE t');
    await client.query(`INSERT INTO t SELECT k, k::text FROM generate_series(1, 20000) AS k`);
    const out = new CopyOut(`COPY (SELECT 1 / (k - 15000), v FROM t ORDER BY k) TO STDOUT (FORMAT csv)`);
    client.query(out);
    let bytes = 0;
    await assert.rejects(
      (async () => {
        for await (const c of out) bytes += (c as Buffer).length;
      })(),
      /division by zero/,
    );
    assert.ok(bytes > 0, 'no rows came before the error');
    assert.equal((await client.query('SELECT 2 AS two')).rows[0].two, 2);
    // A statement that fails before any row.
    const bad = new CopyOut('COPY (SELECT * FROM missing_table) TO STDOUT');
    client.query(bad);
    await assert.rejects(
      (async () => {
        for await (const _ of bad);
      })(),
      /missing_table/,
    );
    assert.equal((await client.query('SELECT 3 AS three')).rows[0].three, 3);
  });
});
