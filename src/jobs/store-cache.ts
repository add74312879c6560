import { type ExportReader, openExportReader, openSqliteExportReader } from '../store/export-reader.ts';
import type { StoreLocation } from '../store/location.ts';
import type { RunTask } from './task.ts';

/**
 * The export readers one thread opened, kept open across jobs, one per tenant. With a store location
 * a tenant's data is found there (its SQLite file, or its PostgreSQL schema); without one, at the
 * task's SQLite data path.
 * @example const reader = new StoreCache(location).reader(task);
 */
export class StoreCache {
  private readonly readers = new Map<string, ExportReader>();

  constructor(private readonly location?: StoreLocation) {}

  /** The export reader of a task's tenant, opened on first use. */
  reader(task: Pick<RunTask, 'tenantId' | 'dataPath' | 'timeZone'>): ExportReader {
    const key = this.location ? task.tenantId : task.dataPath;
    let reader = this.readers.get(key);
    if (!reader) {
      reader = this.location
        ? openExportReader(this.location, task.tenantId, task.timeZone)
        : openSqliteExportReader(task.dataPath, task.timeZone);
      this.readers.set(key, reader);
    }
    return reader;
  }

  /** Closes every reader: SQLite files at once; the promise settles when database connections have ended. */
  closeAll(): Promise<void> {
    const closing = [...this.readers.values()].map((r) => r.close().catch(() => undefined));
    this.readers.clear();
    return Promise.all(closing).then(() => undefined);
  }
}
