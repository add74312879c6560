import type { Command } from 'commander';
import { type ConfigKey, resolveConfig, settingOption } from '../config.ts';
import { credentialsText } from './tenant.ts';

const SERVE_SETTINGS: readonly ConfigKey[] = [
  'port',
  'host',
  'dataDir',
  'databaseUrl',
  'files',
  'role',
  'workers',
  'exportThreads',
  'leaseSeconds',
  'allowPrivateNotify',
  'fileRetentionDays',
  'jobRetentionDays',
  'deletedRetentionDays',
  'logLevel',
  'rateLimit',
  'authFailureLimit',
  'demoAccounts',
];

/**
 * `openaqua serve`: the AQuA server, stopped cleanly by SIGINT or SIGTERM.
 * @example register(program); // openaqua serve --port 8080 --data ./openaqua-data
 */
export function register(program: Command): void {
  const cmd = program.command('serve').description('run the AQuA server');
  for (const key of SERVE_SETTINGS) cmd.addOption(settingOption(key));
  cmd.action(async (flags: Record<string, unknown>) => {
    const config = resolveConfig(flags);
    // Loaded here, not at start-up: the other commands never need the server's modules.
    const { startServer } = await import('./server.ts');
    const server = await startServer(config);
    const role = config.role === 'all' ? '' : `, role ${config.role}`;
    console.log(`openaqua listening on ${server.url} (data in ${server.tenants.dataDir}${role})`);
    if (server.demo) {
      console.log(
        `Created tenant demo with generated data. Its credentials:\n${credentialsText(server.demo)}`,
      );
    }
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      console.log(`${signal}: stopping`);
      server.close().then(
        () => process.exit(0),
        (e) => {
          console.error(e);
          process.exit(1);
        },
      );
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
}
