import { createReadStream } from 'node:fs';
import type { ExportOptions, LaterPart } from '../export/index.ts';
import type { FileStore } from '../files/index.ts';
import type { FieldType } from '../schema/index.ts';
import type { ExportSnapshot } from '../store/export-reader.ts';
import { type CompileOptions, compileQuery, sqliteDialect } from '../store/index.ts';
import type { CompiledQuery } from '../store/types.ts';
import type { AnalyzedQuery } from '../zoql/index.ts';
import type { PartWritten } from './part-protocol.ts';
import type { PartThreads, RunningPart } from './parts.ts';
import type { RunTask } from './task.ts';

/** A batch's export split across threads: the rows this thread writes first, then the other parts. */
export interface SplitExport {
  /** The first range of rows, read in the job's own snapshot. */
  readonly query: CompiledQuery;
  /** The other parts, in order, as the result file takes them. */
  readonly later: readonly (() => Promise<LaterPart>)[];
  /** Stops parts still running and removes their files; call once the batch is over, whatever happened. */
  cleanup(): Promise<void>;
}

/**
 * Splits a large export of the embedded store into ranges of the base object's row numbers, one per
 * thread: the job worker reads the first, part threads read the others in snapshots at the job's
 * change sequence number, so the file holds exactly the rows of the whole query. Their order is the
 * whole query's too when its plan reads the base table in row-number order (a scan of the table or of
 * its `_deleted_at` index, as exports without a selective where clause do); a query without
 * `order by` promises no order either way. Undefined, and the batch is read whole, when
 * it is small, when its rows must be ordered, limited or grouped across the whole table, when it reads
 * deleted rows (purging them moves no sequence number), when the store has no row numbers, or when the
 * data changed since the job's snapshot (a part cannot see the same).
 */
export async function splitExport(args: {
  /** Whose rows, and the job attempt whose temporary files the parts are. */
  task: Pick<RunTask, 'jobId' | 'attempt' | 'tenantId' | 'dataPath' | 'timeZone'>;
  query: AnalyzedQuery;
  compileOptions: CompileOptions;
  format: { types: readonly FieldType[]; options: ExportOptions };
  /** Whether parts come as gzip pieces (a whole gzip file) or CSV lines. */
  mode: 'csv' | 'deflate';
  snap: Pick<ExportSnapshot, 'seq' | 'rowIdRange'>;
  parts?: PartThreads | undefined;
  files: Pick<FileStore, 'tempPath' | 'discard'>;
  signal: AbortSignal;
}): Promise<SplitExport | undefined> {
  const { task, query: q, parts, files, signal } = args;
  if (!parts || parts.count < 2) return undefined;
  if (q.grouped || q.orderBy.length > 0 || q.limit) return undefined;
  // Equal sequence numbers mean equal live rows; purging deleted rows moves no sequence number.
  if ((args.compileOptions.includeDeleted ?? 'none') !== 'none') return undefined;
  const range = args.snap.rowIdRange?.(q.object.name);
  if (!range || range.max - range.min + 1 < parts.minRows) return undefined;
  const span = range.max - range.min + 1;
  const bounds: number[] = [];
  for (let k = 1; k < parts.count; k++) bounds.push(range.min + Math.floor((span * k) / parts.count));
  const compile = (rowRange: CompileOptions['rowRange']) =>
    compileQuery(q, { ...args.compileOptions, rowRange }, sqliteDialect);
  const paths: string[] = [];
  const tenant = { tenantId: task.tenantId, dataPath: task.dataPath, timeZone: task.timeZone };
  const starting = bounds.map((from, k) => {
    const path = files.tempPath(task.tenantId, task.jobId, task.attempt);
    paths.push(path);
    const below = bounds[k + 1];
    const part = {
      tenant,
      seq: args.snap.seq,
      query: compile(below === undefined ? { from } : { from, below }),
      ...args.format,
      mode: args.mode,
      path,
    };
    return parts.start(part, signal);
  });
  const settled = await Promise.allSettled(starting);
  const running = settled.flatMap((s) => (s.status === 'fulfilled' && s.value !== 'stale' ? [s.value] : []));
  const cleanup = async () => {
    for (const p of running) p.stop();
    for (const p of paths) await files.discard(p);
  };
  const failed = settled.find((s) => s.status === 'rejected');
  if (failed) {
    await cleanup();
    throw failed.reason;
  }
  if (running.length < bounds.length) {
    await cleanup();
    return undefined;
  }
  return {
    query: compile({ below: bounds[0]! }),
    later: running.map((p, k) => () => laterPart(p, paths[k]!, args.mode)),
    cleanup,
  };
}

async function laterPart(part: RunningPart, path: string, mode: 'csv' | 'deflate'): Promise<LaterPart> {
  const written: PartWritten = await part.done;
  if (mode === 'csv')
    return { kind: 'csv', lines: { lines: createReadStream(path), count: () => written.rows } };
  if (written.crc === undefined || written.length === undefined)
    throw new Error('a compressed part came without its checksum');
  return {
    kind: 'deflate',
    pieces: createReadStream(path),
    crc: written.crc,
    length: written.length,
    rows: written.rows,
  };
}
