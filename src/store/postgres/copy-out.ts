import { Readable } from 'node:stream';

/** What a query submitted to a `pg` client sees of its connection. */
interface PgConnection {
  readonly stream: NodeJS.ReadableStream & { pause(): unknown; resume(): unknown };
  query(text: string): void;
}

/** Message types of the PostgreSQL protocol read here; the rest go to the driver's own parser. */
const COPY_DATA = 0x64; // 'd'
const COPY_OUT_RESPONSE = 0x48; // 'H'
/** Messages the server may send at any time, skipped during the COPY. */
const ASYNC = new Set([0x4e, 0x53, 0x41]); // 'N' notice, 'S' parameter status, 'A' notification
/** A message's type byte and its length (which counts itself). */
const HEADER = 5;

/**
 * `COPY ... TO STDOUT` run on a `pg` client (`client.query(new CopyOut(sql))`): the COPY's bytes as a
 * Readable, read straight off the connection's socket. Each CopyData message's payload is moved over
 * its own header within the socket's chunk, so no object is made per row; a chunk gives one buffer
 * of the rows it holds (which may end inside a row). The driver's parser gets the socket back at the
 * first message that is not data (CopyDone, or an ErrorResponse, which then ends the stream with that
 * error), so the command tag and later queries go through it as usual. While the stream's reader is
 * behind, the socket is paused, and the server waits.
 * @example
 * const copy = new CopyOut('COPY (SELECT 1) TO STDOUT (FORMAT csv)');
 * client.query(copy);
 * for await (const bytes of copy) sink.write(bytes);
 * await copy.rows; // 1
 */
export class CopyOut extends Readable {
  /** The row count of the command tag, once the server is ready for the next query. */
  readonly rows: Promise<number>;
  private settle: (rows: number) => void = () => undefined;
  private connection: PgConnection | undefined;
  private driverOnData: ((chunk: Buffer) => void) | undefined;
  /** Bytes of the current CopyData payload still to come. */
  private payloadLeft = 0;
  /** Bytes of the current skipped message still to come. */
  private skipLeft = 0;
  /** The start of a message header cut off by the end of a chunk. */
  private head: Buffer | undefined;
  private count = 0;
  private readonly onData = (chunk: Buffer) => this.unframe(chunk);

  constructor(readonly text: string) {
    super();
    this.rows = new Promise((resolve) => {
      this.settle = resolve;
    });
  }

  /** Called by the client when the query's turn comes; an error returned is handed to handleError. */
  submit(connection: PgConnection): Error | undefined {
    const listeners = connection.stream.listeners('data') as ((chunk: Buffer) => void)[];
    if (listeners.length !== 1)
      return new Error(`the connection has ${listeners.length} data listeners, not 1`);
    this.connection = connection;
    this.driverOnData = listeners[0];
    connection.stream.removeListener('data', this.driverOnData!);
    connection.stream.on('data', this.onData);
    connection.query(this.text);
    return undefined;
  }

  override _read(): void {
    if (this.driverOnData) this.connection?.stream.resume();
  }

  /** Called by the client with an ErrorResponse, or when the connection ends. */
  handleError(error: Error): void {
    this.giveBack(undefined);
    this.destroy(error);
  }

  handleCommandComplete(message: { text?: string }): void {
    const m = /^COPY (\d+)$/.exec(message.text ?? '');
    if (m) this.count = Number(m[1]);
  }

  handleReadyForQuery(): void {
    if (!this.destroyed) this.settle(this.count);
  }

  // Messages of a statement that is not COPY TO STDOUT: the stream fails in handleError or ends empty.
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handleCopyInResponse(): void {
    this.destroy(new Error('not a COPY TO STDOUT'));
  }
  handleCopyData(): void {}
  handlePortalSuspended(): void {}

  /** Strips the framing of one socket chunk in place and pushes the rows' bytes. */
  private unframe(chunk: Buffer): void {
    let buf = chunk;
    let r = 0;
    if (this.head) {
      buf = Buffer.concat([this.head, chunk]);
      this.head = undefined;
    }
    let w = 0;
    while (r < buf.length) {
      if (this.payloadLeft > 0) {
        const n = Math.min(this.payloadLeft, buf.length - r);
        if (w !== r) buf.copyWithin(w, r, r + n);
        w += n;
        r += n;
        this.payloadLeft -= n;
        continue;
      }
      if (this.skipLeft > 0) {
        const n = Math.min(this.skipLeft, buf.length - r);
        r += n;
        this.skipLeft -= n;
        continue;
      }
      if (buf.length - r < HEADER) {
        this.head = Buffer.from(buf.subarray(r));
        break;
      }
      const type = buf[r]!;
      const size = buf.readUInt32BE(r + 1) - 4;
      if (type === COPY_DATA) this.payloadLeft = size;
      else if (type === COPY_OUT_RESPONSE || ASYNC.has(type)) this.skipLeft = size;
      else {
        // CopyDone, an error, or anything unforeseen: the driver reads it, and what follows.
        if (w > 0) this.push(buf.subarray(0, w));
        this.giveBack(buf.subarray(r));
        if (!this.destroyed) this.push(null);
        return;
      }
      r += HEADER;
    }
    if (w > 0 && !this.push(buf.subarray(0, w))) this.connection?.stream.pause();
  }

  /** Hands the socket back to the driver's parser, with the bytes it has not read yet. */
  private giveBack(rest: Buffer | undefined): void {
    const onData = this.driverOnData;
    const stream = this.connection?.stream;
    if (!onData || !stream) return;
    this.driverOnData = undefined;
    stream.removeListener('data', this.onData);
    stream.on('data', onData);
    stream.resume();
    if (rest && rest.length > 0) onData(rest);
  }
}
