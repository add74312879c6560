import { type ExportOptions, writeResultFile, writeSegmentedFiles } from '../export/index.ts';
import type { CsvLines, LaterPart, RowSource } from '../export/result-file.ts';
import type { FileStore } from '../files/index.ts';
import type { FieldType } from '../schema/index.ts';
import type { AnalyzedQuery } from '../zoql/index.ts';
import type { BatchOutput, RunBatch, RunTask } from './task.ts';

/**
 * The header row of a batch: API names (`useQueryLabels` true) or labels, after the deleted flag
 * column, which is `<BaseObject>.<column>` in both modes.
 * @example headerOf(analyze('select Name from Account', 'zoqlexport'), false, null) // ['Account: Name']
 */
export function headerOf(q: AnalyzedQuery, useQueryLabels: boolean, deleted: RunBatch['deleted']): string[] {
  const header = q.columns.map((c) => (useQueryLabels ? c.nameHeader : c.labelHeader));
  return deleted ? [`${q.object.name}.${deleted.column}`, ...header] : header;
}

/**
 * How a batch's rows are rendered: its column types and the job's value options (CONTRACT 5.2).
 * @example batchFormat(task, batch, query) // { types: ['ID', 'string'], options: { timeZone: 'UTC', dateTimeUtc: false } }
 */
export function batchFormat(
  task: RunTask,
  batch: RunBatch,
  q: AnalyzedQuery,
): { types: FieldType[]; options: ExportOptions } {
  return {
    types: q.columns.map((c) => c.type),
    options: {
      timeZone: task.timeZone,
      dateTimeUtc: task.dateTimeUtc,
      ...(task.nullReplacement !== null ? { nullReplacement: task.nullReplacement } : {}),
      ...(batch.deleted ? { deleted: { format: batch.deleted.format } } : {}),
    },
  };
}

/** Segments: a tenant setting, for stateful full loads of queries without functions or aliases. */
export function segmented(task: RunTask, batch: RunBatch, q: AnalyzedQuery): boolean {
  return (
    task.segments &&
    task.stateful &&
    batch.full &&
    task.incrementalTime === null &&
    !q.hasFunctions &&
    !q.hasAliases
  );
}

/**
 * Writes one batch's rows to temporary files of the job attempt. A failure or a cancel removes what was
 * written, so no partial file is left.
 */
export async function writeBatchFiles(args: {
  task: RunTask;
  batch: RunBatch;
  query: AnalyzedQuery;
  /** Rows to render, or CSV lines the database rendered (see ExportSnapshot.copyCsv). */
  rows: RowSource | CsvLines;
  /** Parts of the export other threads wrote, added after `rows` (see split.ts). */
  after?: readonly (() => Promise<LaterPart>)[];
  files: FileStore;
  signal: AbortSignal;
}): Promise<BatchOutput> {
  const { task, batch, query, files } = args;
  if (task.encrypted && !task.encryptTo) {
    throw new Error(
      "the tenant's PGP key was removed after the job was submitted; register one with: openaqua tenant pgp-key",
    );
  }
  const paths: string[] = [];
  const nextPath = (): string => {
    const p = files.tempPath(task.tenantId, task.jobId, task.attempt);
    paths.push(p);
    return p;
  };
  const common = {
    rows: args.rows,
    header: headerOf(query, task.useQueryLabels, batch.deleted),
    ...batchFormat(task, batch, query),
    format: task.format,
    ...(task.encrypted && task.encryptTo ? { encryption: { publicKeys: task.encryptTo } } : {}),
    entryName: `${batch.name}.csv`,
    signal: args.signal,
    ...(args.after ? { after: args.after } : {}),
  };
  try {
    if (segmented(task, batch, query)) {
      const { files: written } = await writeSegmentedFiles({
        ...common,
        maxRows: task.segmentRows,
        pathFor: nextPath,
      });
      return {
        batchId: batch.id,
        files: written.map((f) => ({ path: f.path, rows: f.rows, bytes: f.bytes })),
        recordCount: written.reduce((n, f) => n + f.rows, 0),
        segmented: true,
      };
    }
    const path = nextPath();
    const written = await writeResultFile({ ...common, path });
    return { batchId: batch.id, files: [{ path, ...written }], recordCount: written.rows, segmented: false };
  } catch (e) {
    for (const p of paths) await files.discard(p);
    throw e;
  }
}
