import { writeResultFile } from '../export/index.ts';
import type { FileStore } from '../files/index.ts';
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
 * Writes one batch's rows to temporary files of the job attempt. A failure or a cancel removes what was
 * written, so no partial file is left.
 */
export async function writeBatchFiles(args: {
  task: RunTask;
  batch: RunBatch;
  query: AnalyzedQuery;
  rows: Iterable<unknown[]>;
  files: FileStore;
  signal: AbortSignal;
}): Promise<BatchOutput> {
  const { task, batch, query, files } = args;
  const path = await files.tempPath(task.tenantId, task.jobId, task.attempt);
  try {
    const written = await writeResultFile({
      rows: args.rows,
      header: headerOf(query, task.useQueryLabels, batch.deleted),
      types: query.columns.map((c) => c.type),
      options: {
        timeZone: task.timeZone,
        dateTimeUtc: task.dateTimeUtc,
        ...(task.nullReplacement !== null ? { nullReplacement: task.nullReplacement } : {}),
        ...(batch.deleted ? { deleted: { format: batch.deleted.format } } : {}),
      },
      format: task.format,
      entryName: `${batch.name}.csv`,
      path,
      signal: args.signal,
    });
    return {
      batchId: batch.id,
      files: [{ path, rows: written.rows, bytes: written.bytes }],
      recordCount: written.rows,
      segmented: false,
    };
  } catch (e) {
    await files.discard(path);
    throw e;
  }
}
