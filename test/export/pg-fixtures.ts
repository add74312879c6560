/**
 * A PostgreSQL database holding one tenant schema with hand-made tables, for export reader tests that
 * need typed columns but not the tenant store.
 */
import pg from 'pg';
import { type ExportOptions, makeRowFormatter } from '../../src/export/index.ts';
import type { FieldType } from '../../src/schema/index.ts';
import type { ExportReader, ExportSnapshot } from '../../src/store/export-reader.ts';
import { tenantSchema } from '../../src/store/location.ts';
import type { CompiledQuery } from '../../src/store/types.ts';
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts';

export interface RawTenant {
  readonly url: string;
  readonly tenantId: string;
  /** A connection of its own, with the tenant schema as search path. */
  readonly client: pg.Client;
  drop(): Promise<void>;
}

/** A new database with the schema of tenant `tenantId` holding the change counter and `ddl`. */
export async function rawTenant(serverUrl: string, tenantId: string, ddl: string): Promise<RawTenant> {
  const db: TestDatabase = createTestDatabase(serverUrl);
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  const schema = tenantSchema(tenantId);
  await client.query(`CREATE SCHEMA "${schema}"; SET search_path TO "${schema}";
    CREATE TABLE "_change_counter" ("id" INTEGER PRIMARY KEY, "seq" BIGINT NOT NULL);
    INSERT INTO "_change_counter" VALUES (1, 0); ${ddl}`);
  return {
    url: db.url,
    tenantId,
    client,
    async drop() {
      await client.end();
      db.drop();
    },
  };
}

/** All of an async iterable of row batches (or a sync iterable of rows) as one array of rows. */
export async function allRows(source: ReturnType<ExportSnapshot['rows']>): Promise<unknown[][]> {
  const out: unknown[][] = [];
  if (Symbol.asyncIterator in source) {
    for await (const batch of source) for (const row of batch) out.push([...row]);
  } else for (const row of source) out.push([...row]);
  return out;
}

/** What the cursor path and the JS formatter write, and what COPY writes (undefined when it declines). */
export async function bothPaths(
  reader: ExportReader,
  query: CompiledQuery,
  types: readonly FieldType[],
  options: ExportOptions,
): Promise<{ js: string; copy: string | undefined; rows: number | undefined }> {
  return reader.snapshot(async (snap) => {
    const format = makeRowFormatter(types, options);
    const rows = await allRows(snap.rows(query));
    const js = rows.map(format).join('');
    const csv = await snap.copyCsv?.(query, { types, options });
    if (!csv) return { js, copy: undefined, rows: undefined };
    const chunks: Buffer[] = [];
    for await (const c of csv.lines) chunks.push(c);
    return { js, copy: Buffer.concat(chunks).toString('utf8'), rows: csv.count() };
  });
}
