import type { DeletedSpec, QueryLanguage, ResultFormat } from '../store/meta/jobs.ts';

/**
 * Everything a runner needs to run a job, as plain data: it crosses to a worker thread by structured
 * clone, so the worker never reads the job tables.
 */
export interface RunTask {
  readonly jobId: string;
  readonly attempt: number;
  readonly tenantId: string;
  /** The tenant's SQLite data file. */
  readonly dataPath: string;
  readonly timeZone: string;
  /** When the job started (relative literals such as `'today - 1 day'` count from it). */
  readonly now: number;
  readonly format: ResultFormat;
  /** `encrypted: "pgp"`: every result file is encrypted to `encryptTo`. Absent: false. */
  readonly encrypted?: boolean;
  /**
   * The tenant's armored OpenPGP public key when the job was claimed; none for an encrypted job means
   * the key was removed after the job was submitted.
   */
  readonly encryptTo?: string | null;
  readonly useQueryLabels: boolean;
  readonly dateTimeUtc: boolean;
  readonly nullReplacement: string | null;
  readonly stateful: boolean;
  /** Split stateful full loads of plain queries into segment files. */
  readonly segments: boolean;
  /** Stateful window start given by the request (epoch ms), overriding the session cursor. */
  readonly incrementalTime: number | null;
  /** Seconds taken off the end of an `incrementalTime` window. */
  readonly offset: number;
  readonly queryMillis: number;
  /** Records per segment file. */
  readonly segmentRows: number;
  readonly batches: readonly RunBatch[];
}

export interface RunBatch {
  readonly id: string;
  readonly name: string;
  readonly query: string;
  readonly language: QueryLanguage;
  readonly deleted: DeletedSpec | null;
  readonly full: boolean;
  readonly afterSeq: number | null;
}

/** What one finished batch wrote: temporary files, in order, and its row count. */
export interface BatchOutput {
  readonly batchId: string;
  readonly files: readonly { readonly path: string; readonly rows: number; readonly bytes: number }[];
  readonly recordCount: number;
  readonly segmented: boolean;
}

/** What a runner tells its caller while it runs. */
export interface RunEvents {
  batchStarted(batchId: string): void;
  /** The caller stages the files; the runner waits for it before the next batch. */
  batchFinished(output: BatchOutput): void | Promise<void>;
}
