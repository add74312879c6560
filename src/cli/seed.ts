import { type Command, InvalidArgumentError } from 'commander';
import { settingOption } from '../config.ts';
import { seedInvoiceItems, seedTenant } from '../seed/index.ts';
import { openTenantStoreAt } from '../store/tenant/open.ts';
import { TenantError } from '../tenants/index.ts';
import { withRegistry } from './context.ts';

function wholeNumber(raw: string): number {
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError('must be a whole number');
  return n;
}

/**
 * `openaqua seed <tenant>`: fills a tenant with a deterministic demo billing world.
 * @example register(program); // openaqua seed demo --accounts 500 --seed 7
 */
export function register(program: Command): void {
  program
    .command('seed <tenant>')
    .description('fill a tenant with deterministic demo billing data (the same seed gives the same rows)')
    .option('--accounts <n>', 'accounts to create; every other object scales with it', wholeNumber, 100)
    .option('--seed <s>', 'seed of the generator', wholeNumber, 1)
    .option(
      '--invoice-items <n>',
      'instead: write this many invoice items with their invoices and accounts',
      wholeNumber,
    )
    .addOption(settingOption('dataDir'))
    .addOption(settingOption('databaseUrl'))
    .action(async (name: string, flags: Record<string, unknown>) => {
      await withRegistry(flags, (registry) => {
        const tenant = registry.findTenant(name);
        if (!tenant)
          throw new TenantError(`no tenant named '${name}' (create it with: openaqua tenant create ${name})`);
        const store = openTenantStoreAt(registry.location, tenant.id, { timeZone: tenant.timeZone });
        try {
          const started = Date.now();
          const seed = flags.seed as number;
          const counts =
            flags.invoiceItems === undefined
              ? seedTenant(store, { accounts: flags.accounts as number, seed })
              : seedInvoiceItems(store, { items: flags.invoiceItems as number, seed });
          const total = Object.values(counts).reduce((a, b) => a + b, 0);
          for (const [object, n] of Object.entries(counts)) if (n > 0) console.log(`${object}: ${n}`);
          console.log(
            `${total} records written to tenant '${name}' in ${((Date.now() - started) / 1000).toFixed(1)} s`,
          );
        } finally {
          store.close();
        }
      });
    });
}
