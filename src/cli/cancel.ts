import type { Command } from 'commander';
import { clientAction, clientFromFlags, connectionOptions, EXIT } from '../client/cli-options.ts';

/**
 * `openaqua cancel <id>`: cancels a job that has not finished. Exit status 0 when cancelled, 2 when the
 * id is unknown or the job had already finished.
 * @example register(program); // openaqua cancel --url http://127.0.0.1:8080 --user demo --password … 0a1b…
 */
export function register(program: Command): void {
  connectionOptions(program.command('cancel'))
    .description('cancel a job on an AQuA server')
    .argument('<id>', 'the job id')
    .action(
      clientAction(async (id: string, flags: Record<string, unknown>) => {
        const job = await clientFromFlags(flags).cancel(id);
        process.stdout.write(`job ${job.id} ${job.status}\n`);
        return EXIT.completed;
      }),
    );
}
