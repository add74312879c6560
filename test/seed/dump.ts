import { objects } from '../../src/schema/index.ts';
import type { TenantDataStore } from '../../src/store/index.ts';

export type Rows = Map<string, Record<string, unknown>>;

/** Every live row of every object by Id, with all fields (tracking columns left out). */
export function dump(store: TenantDataStore): Map<string, Rows> {
  return store.snapshot((snap) => {
    const out = new Map<string, Rows>();
    for (const o of objects) {
      const names = o.fields.map((f) => f.name);
      const rows: Rows = new Map();
      // Decimals as the number SQLite gives (PostgreSQL gives NUMERIC as text).
      const columns = o.fields.map((f) =>
        f.type === 'decimal' ? `CAST("${f.name}" AS DOUBLE PRECISION)` : `"${f.name}"`,
      );
      const sql = `SELECT ${columns.join(', ')} FROM "${o.name}" WHERE "_deleted_at" IS NULL ORDER BY "Id"`;
      for (const r of snap.rows({ sql, params: [] })) {
        const row: Record<string, unknown> = {};
        names.forEach((n, i) => {
          row[n] = r[i];
        });
        rows.set(row.Id as string, row);
      }
      out.set(o.name, rows);
    }
    return out;
  });
}

/** An amount as exact cents, from the decimal text of the stored number (never through float arithmetic). */
export function cents(v: unknown): bigint {
  if (v === null || v === undefined) return 0n;
  const text = String(v);
  const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(text);
  if (!m) throw new Error(`not a money amount: ${text}`);
  const value = BigInt(m[2]!) * 100n + BigInt((m[3] ?? '').padEnd(2, '0'));
  return m[1] ? -value : value;
}
