import type { Command } from 'commander';
import { clientAction, clientFromFlags, connectionOptions, EXIT } from '../client/cli-options.ts';

/**
 * `openaqua jobs`: a server's recent jobs for the signed-in tenant, newest first, one per line
 * (id, status, start time, batches, records, name), or as JSON with `--json`.
 * @example register(program); // openaqua jobs --url http://127.0.0.1:8080 --user demo --password … --status executing
 */
export function register(program: Command): void {
  connectionOptions(program.command('jobs'))
    .description('list recent jobs on an AQuA server')
    .option('--status <status>', 'only jobs in this status')
    .option('--partner <partner>', 'only jobs of this partner')
    .option('--project <project>', 'only jobs of this project')
    .option('--name <text>', 'only jobs whose name contains this')
    .option('--hours <n>', 'jobs submitted in the last n hours', '72')
    .option('--json', 'print the jobs as JSON')
    .action(
      clientAction(async (flags: Record<string, unknown>) => {
        const pick = (k: string) => (typeof flags[k] === 'string' ? (flags[k] as string) : undefined);
        const jobs = await clientFromFlags(flags).list({
          status: pick('status'),
          partner: pick('partner'),
          project: pick('project'),
          name: pick('name'),
          hours: pick('hours'),
        });
        if (flags.json) {
          process.stdout.write(`${JSON.stringify(jobs, null, 2)}\n`);
          return EXIT.completed;
        }
        for (const j of jobs) {
          const records = j.batches.reduce((sum, b) => sum + b.recordCount, 0);
          const cells = [
            j.id,
            j.status.padEnd(9),
            j.startTime,
            `${j.batches.length} batches`,
            `${records} records`,
          ];
          process.stdout.write(`${[...cells, j.name ?? ''].join('  ').trimEnd()}\n`);
        }
        return EXIT.completed;
      }),
    );
}
