import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { stringify } from 'csv-stringify/sync';
import { loadCsvStream } from '../../src/load/index.ts';
import { getObject, objects } from '../../src/schema/index.ts';
import { seedTenant } from '../../src/seed/index.ts';
import { formatDateTime } from '../../src/store/index.ts';
import { dump } from '../seed/dump.ts';
import { tempStore } from '../store/temp-store.ts';

const ZONE = 'America/Los_Angeles';

/** A stored value written as an export would write it (csv-stringify does the quoting). */
function text(type: string, v: unknown): string {
  if (v === null) return '';
  if (type === 'boolean') return v === 1 ? 'true' : 'false';
  if (type === 'dateTime') return formatDateTime(v as number, ZONE);
  return String(v);
}

describe('CSV round trip', () => {
  it('loads the CSV of every seeded object back into identical rows', async () => {
    const source = tempStore({ timeZone: ZONE });
    const target = tempStore({ timeZone: ZONE });
    try {
      seedTenant(source.store, { accounts: 15, seed: 21 });
      const before = dump(source.store);
      for (const o of objects) {
        const fields = getObject(o.name)!.fields;
        const header = fields.map((f) => `${o.name}.${f.name}`);
        const body = [...before.get(o.name)!.values()].map((row) =>
          fields.map((f) => text(f.type, row[f.name])),
        );
        const csv = stringify([header, ...body]);
        const result = await loadCsvStream(target.store, o.name, Readable.from([csv]));
        assert.deepEqual(result, { rows: body.length, inserted: body.length, updated: 0 }, o.name);
      }
      const after = dump(target.store);
      for (const o of objects)
        assert.deepEqual([...after.get(o.name)!.values()], [...before.get(o.name)!.values()], o.name);
    } finally {
      source.done();
      target.done();
    }
  });
});
