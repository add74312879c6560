import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import { resolveSetting, settingOption } from '../config.ts';
import { QueryError } from '../errors.ts';
import { writeCsvStream } from '../export/index.ts';
import { openFileStore } from '../files/index.ts';
import { PartThreads } from '../jobs/parts.ts';
import { splitExport } from '../jobs/split.ts';
import { compileQuery } from '../store/index.ts';
import { analyze } from '../zoql/index.ts';
import { locationOf, tenantNamed, withRegistry } from './context.ts';

function headerMode(raw: string): 'names' | 'labels' {
  if (raw === 'names' || raw === 'labels') return raw;
  throw new InvalidArgumentError("must be 'names' or 'labels'");
}

/**
 * `openaqua query <tenant> "<query>"`: writes the CSV an AQuA batch would produce to standard output.
 * `--header names` (default) is `useQueryLabels: true`, `--null` is `nullReplacement`, `--utc` is `dateTimeUtc`.
 * A bad query prints its error with line and column and exits with status 2.
 * @example register(program); // openaqua query demo "select Id, Name from Account" --header labels
 */
export function register(program: Command): void {
  program
    .command('query <tenant> <query>')
    .description('run a ZOQL / Export ZOQL query against a tenant and write the CSV AQuA would produce')
    .option('--zoql', 'the query is ZOQL (default: Export ZOQL)')
    .option(
      '--header <mode>',
      "header naming: 'names' (Account.Id) or 'labels' (Account: Account ID)",
      headerMode,
      'names',
    )
    .option('--null <text>', 'written for null values (nullReplacement)')
    .option('--utc', 'datetimes with a ±hhmm offset (dateTimeUtc)')
    .addOption(settingOption('dataDir'))
    .addOption(settingOption('databaseUrl'))
    .addOption(settingOption('exportThreads'))
    .action(async (tenantName: string, text: string, flags: Record<string, unknown>) => {
      let query: ReturnType<typeof analyze>;
      try {
        query = analyze(text, flags.zoql ? 'zoql' : 'zoqlexport');
      } catch (e) {
        if (!(e instanceof QueryError)) throw e;
        process.stderr.write(`openaqua: ${e.message}\n`);
        process.exitCode = 2;
        return;
      }
      /** Part files of a split export not removed yet: an early exit removes them itself. */
      const partFiles = new Set<string>();
      // A reader that stops early (`| head`) closes the pipe: that ends the export, as it would any Unix tool.
      process.stdout.on('error', (e: NodeJS.ErrnoException) => {
        if (e.code !== 'EPIPE') throw e;
        for (const path of partFiles) rmSync(path, { force: true });
        process.exit(0);
      });
      const location = locationOf(flags);
      const threads = resolveSetting('exportThreads', flags);
      await withRegistry(flags, async (registry) => {
        const tenant = tenantNamed(registry, tenantName);
        const store = registry.store(tenant.id);
        const compileOptions = { now: Date.now(), timeZone: tenant.timeZone };
        const compiled = compileQuery(query, compileOptions, store.dialect);
        const header = query.columns.map((c) => (flags.header === 'labels' ? c.labelHeader : c.nameHeader));
        const options = {
          timeZone: tenant.timeZone,
          dateTimeUtc: flags.utc === true,
          ...(typeof flags.null === 'string' ? { nullReplacement: flags.null } : {}),
        };
        const types = query.columns.map((c) => c.type);
        // A large export on the embedded store is split across threads as the server's jobs are; the
        // parts are temporary files of the tenant's file directory (a server's sweeper removes any a
        // killed command leaves; a closed pipe removes them here).
        const parts =
          store.dialect.name === 'sqlite' && threads > 1 ? new PartThreads({ location }, threads) : undefined;
        const fileStore = openFileStore(undefined, join(location.dataDir, 'files'));
        const files = {
          tempPath(tenantId: string, jobId: string, attempt: number): string {
            const path = fileStore.tempPath(tenantId, jobId, attempt);
            partFiles.add(path);
            return path;
          },
          async discard(path: string): Promise<void> {
            await fileStore.discard(path);
            partFiles.delete(path);
          },
        };
        const task = {
          jobId: randomBytes(16).toString('hex'),
          attempt: 1,
          tenantId: tenant.id,
          dataPath: registry.dataPath(tenant.id),
          timeZone: tenant.timeZone,
        };
        try {
          // The snapshot stays open while the rows stream: the whole file is one consistent moment.
          await store.snapshot(async (snap) => {
            const split = await splitExport({
              task,
              query,
              compileOptions,
              format: { types, options },
              mode: 'csv',
              snap,
              parts,
              files,
              signal: new AbortController().signal,
            });
            try {
              await writeCsvStream({
                rows: snap.rows(split?.query ?? compiled),
                ...(split ? { after: split.later } : {}),
                header,
                types,
                options,
                out: process.stdout,
              });
            } finally {
              await split?.cleanup();
            }
          });
        } finally {
          await parts?.close();
        }
      });
    });
}
