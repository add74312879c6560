/** The `openaqua` command. Each command module registers itself; this file only lists them. */
import { Command } from 'commander';
import { ConfigError } from '../config.ts';
import { TenantError } from '../tenants/index.ts';
import { register as cancel } from './cancel.ts';
import { register as exportJob } from './export.ts';
import { register as jobs } from './jobs.ts';
import { register as load } from './load.ts';
import { register as query } from './query.ts';
import { register as seed } from './seed.ts';
import { register as serve } from './serve.ts';
import { register as tenant } from './tenant.ts';

const commands = [serve, tenant, seed, load, query, exportJob, jobs, cancel];

const program = new Command('openaqua').description(
  "A server that speaks Zuora's Aggregate Query API (AQuA)",
);
for (const register of commands) register(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  // Mistakes in input are reported plainly; anything else keeps its stack for a bug report.
  if (e instanceof ConfigError || e instanceof TenantError) program.error(`openaqua: ${e.message}`);
  throw e;
}
