/**
 * Result files: value formatting (CONTRACT 5), the CSV writer, and the csv / gzip / zip stages.
 * @example
 * await writeResultFile({ rows: [[1, 'Acme']], header: ['Account.Id', 'Account.Name'], types: ['ID', 'string'],
 *   options: { timeZone: 'America/Los_Angeles', dateTimeUtc: false }, format: 'csv', entryName: 'Account', path });
 */
export { contentTypeFor } from './content-type.ts';
export { csvField, csvLine } from './csv.ts';
export { datetimeFormatter } from './datetime.ts';
export { formatDecimal } from './decimal.ts';
export type { ResultFileArgs, WrittenFile } from './result-file.ts';
export { writeCsvStream, writeResultFile, writeSegmentedFiles } from './result-file.ts';
export type { ExportOptions } from './row-formatter.ts';
export { makeRowFormatter } from './row-formatter.ts';
export type { FileFormat, Sink } from './sink.ts';
export { openSink, streamSink } from './sink.ts';
