import type { Command } from 'commander';
import { clientAction, clientFromFlags, connectionOptions, EXIT } from '../client/cli-options.ts';
import { exportJob, readJobFile, summaryText } from '../client/export-job.ts';
import { ClientInputError } from '../client/http.ts';

/**
 * `openaqua export`: submits a job file to an AQuA server, shows progress while it runs, downloads and
 * verifies every result file, and prints a summary. Exit status 0 completed, 1 aborted or cancelled,
 * 2 bad input.
 * @example register(program); // openaqua export --url http://127.0.0.1:8080 --user demo --password … job.json --out ./out
 */
export function register(program: Command): void {
  connectionOptions(program.command('export'))
    .description('run an AQuA job on a server and download its files')
    .argument('<job.json>', 'the job: the JSON body of POST /v1/batch-query/')
    .option('--out <dir>', 'directory the files are written to', '.')
    .option('--interval <ms>', 'milliseconds between polls', '1000')
    .action(
      clientAction(async (jobFile: string, flags: Record<string, unknown>) => {
        const client = clientFromFlags(flags);
        const intervalMs = Number(flags.interval);
        if (!Number.isInteger(intervalMs) || intervalMs < 10) {
          throw new ClientInputError(
            `--interval must be an integer of at least 10, not '${String(flags.interval)}'`,
          );
        }
        const body = await readJobFile(jobFile);
        const result = await exportJob(client, body, {
          outDir: String(flags.out),
          progress: process.stderr,
          intervalMs,
        });
        process.stdout.write(summaryText(result));
        if (result.job.status === 'completed') return EXIT.completed;
        const failed = result.job.batches.find((b) => b.status === 'aborted');
        if (failed?.message) process.stderr.write(`openaqua: ${failed.name}: ${failed.message}\n`);
        return EXIT.failed;
      }),
    );
}
