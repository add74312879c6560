import { type Command, type CommanderError, Option } from 'commander';
import { AquaClient, ClientInputError, type Credentials } from './http.ts';
import { VerifyError } from './verify.ts';

/** Exit statuses of the client commands. */
export const EXIT = { completed: 0, failed: 1, badInput: 2 } as const;

/**
 * Adds `--url`, `--user`/`--password` and `--client-id`/`--client-secret` to a command, and makes a
 * mistake in its flags exit with status 2.
 * @example connectionOptions(program.command('jobs'));
 */
export function connectionOptions(cmd: Command): Command {
  return cmd
    .requiredOption('--url <url>', 'base URL of the AQuA server, e.g. http://127.0.0.1:8080')
    .addOption(new Option('--user <user>', 'user name (HTTP Basic)').env('OPENAQUA_USER'))
    .addOption(new Option('--password <password>', 'password (HTTP Basic)').env('OPENAQUA_PASSWORD'))
    .addOption(new Option('--client-id <id>', 'OAuth client id').env('OPENAQUA_CLIENT_ID'))
    .addOption(new Option('--client-secret <secret>', 'OAuth client secret').env('OPENAQUA_CLIENT_SECRET'))
    .exitOverride((err: CommanderError) => {
      process.exit(err.exitCode === 0 ? 0 : EXIT.badInput);
    });
}

/** The client the connection flags describe; throws ClientInputError when they do not name one way in. */
export function clientFromFlags(flags: Record<string, unknown>): AquaClient {
  const s = (k: string) => (typeof flags[k] === 'string' ? (flags[k] as string) : undefined);
  let credentials: Credentials;
  const user = s('user');
  const password = s('password');
  const clientId = s('clientId');
  const clientSecret = s('clientSecret');
  if (user !== undefined && password !== undefined) credentials = { user, password };
  else if (clientId !== undefined && clientSecret !== undefined) credentials = { clientId, clientSecret };
  else throw new ClientInputError('give --user and --password, or --client-id and --client-secret');
  const url = s('url') ?? '';
  if (!/^https?:\/\/[^/]+/.test(url))
    throw new ClientInputError(`--url must be an http(s) URL, not '${url}'`);
  return new AquaClient(url, credentials);
}

/**
 * Runs a client command's action and sets the exit status: the action's own, 2 for bad input (a bad
 * job file, bad flags, an HTTP 4xx answer), 1 for a failed download or verification.
 * @example cmd.action(clientAction(async (flags) => EXIT.completed));
 */
export function clientAction<A extends unknown[]>(
  fn: (...args: A) => Promise<number>,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      process.exitCode = await fn(...args);
    } catch (e) {
      if (e instanceof ClientInputError) {
        process.stderr.write(`openaqua: ${e.message}\n`);
        process.exitCode = EXIT.badInput;
      } else if (e instanceof VerifyError) {
        process.stderr.write(`openaqua: verification failed: ${e.message}\n`);
        process.exitCode = EXIT.failed;
      } else {
        process.stderr.write(`openaqua: ${e instanceof Error ? e.message : String(e)}\n`);
        process.exitCode = EXIT.failed;
      }
    }
  };
}
