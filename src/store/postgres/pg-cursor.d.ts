/** The part of pg-cursor (which ships no types) the export reader uses. */
declare module 'pg-cursor' {
  import type { Connection, CustomTypesConfig, Submittable } from 'pg';

  interface CursorConfig {
    rowMode?: 'array';
    types?: CustomTypesConfig;
  }

  /** A portal read a number of rows at a time; submitted with `client.query(cursor)`. */
  export default class Cursor<R = unknown[]> implements Submittable {
    constructor(text: string, values?: readonly unknown[] | null, config?: CursorConfig);
    submit(connection: Connection): void;
    /** The next rows, at most `rows`; none once the query is done. */
    read(rows: number): Promise<R[]>;
    close(): Promise<void>;
  }
}
