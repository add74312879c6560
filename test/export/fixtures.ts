import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import type { ExportOptions } from '../../src/export/index.ts';
import type { FieldType } from '../../src/schema/index.ts';

/** A fresh temporary directory, removed when the test file ends. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'openaqua-export-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export const utc: ExportOptions = { timeZone: 'UTC', dateTimeUtc: false };

export const header = ['Invoice.Id', 'Invoice.Name', 'Invoice.Amount', 'Invoice.CreatedDate'];
export const types: readonly FieldType[] = ['ID', 'string', 'decimal', 'dateTime'];

/** Rows of an invoice-like query, with a quoted name spanning two lines. */
export function* invoices(n: number): Generator<unknown[]> {
  for (let i = 0; i < n; i++)
    yield [`id${i}`, `name, "${i}"\nline two`, i / 100, Date.UTC(2024, 0, 1) + i * 1000];
}

/** The CSV line `invoices` gives for row `i` under `utc`. */
export function invoiceLine(i: number): string {
  const amount = String(i / 100);
  const created = new Date(Date.UTC(2024, 0, 1) + i * 1000).toISOString().slice(0, 19);
  return `id${i},"name, ""${i}""\nline two",${amount},${created}+00:00\n`;
}

export const headerLine = `${header.join(',')}\n`;
