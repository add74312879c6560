/**
 * Result files: value formatting (CONTRACT 5.2), the RFC 4180 CSV writer, and the csv / gzip / zip
 * file stages with optional PGP encryption, whole or in segments.
 * @example
 * await writeResultFile({ rows: [['2c92c0f8', 'Acme']], header: ['Account.Id', 'Account.Name'], types: ['ID', 'string'],
 *   options: { timeZone: 'America/Los_Angeles', dateTimeUtc: false }, format: 'csv', entryName: 'Account', path });
 */
export type { CellFormatter, DateTimeStyle } from './cells.ts';
export { cellFormatter, deletedFormatter } from './cells.ts';
export { contentTypeFor } from './content-type.ts';
export { csvField, csvLine } from './csv.ts';
export { datetimeFormatter } from './datetime.ts';
export { formatDecimal, formatNumber } from './decimal.ts';
export type { PgpEncryption } from './pgp.ts';
export { encryptingStream } from './pgp.ts';
export type { LaterPart, ResultFileArgs, WrittenFile } from './result-file.ts';
export { writeCsvStream, writePart, writeResultFile, writeSegmentedFiles } from './result-file.ts';
export type { ExportOptions } from './row-formatter.ts';
export { makeRowFormatter } from './row-formatter.ts';
export type { FileFormat, Sink } from './sink.ts';
export { deflatedFileSink, openSink, streamSink, syncFileSink } from './sink.ts';
