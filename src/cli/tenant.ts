import { readFile } from 'node:fs/promises';
import { type Command, InvalidArgumentError } from 'commander';
import { settingOption } from '../config.ts';
import { type Tenant, type TenantCredentials, TenantError } from '../tenants/index.ts';
import { withRegistry } from './context.ts';

function onOff(raw: string): boolean {
  const v = raw.toLowerCase();
  if (v === 'on' || v === 'true') return true;
  if (v === 'off' || v === 'false') return false;
  throw new InvalidArgumentError('must be on or off');
}

/**
 * The credentials of a tenant as printed once when issued.
 * @example console.log(credentialsText(credentials));
 */
export function credentialsText(c: TenantCredentials): string {
  return [
    `  username:      ${c.username}`,
    `  password:      ${c.password}`,
    `  client id:     ${c.clientId}`,
    `  client secret: ${c.clientSecret}`,
    'These secrets are stored only as hashes: keep them now, they cannot be shown again.',
  ].join('\n');
}

function describeTenant(t: Tenant): string {
  const pgp = t.pgpFingerprint ? `, pgp key ${t.pgpFingerprint}` : '';
  return `${t.name} (id ${t.id}, time zone ${t.timeZone}, segments ${t.segments ? 'on' : 'off'}${pgp})`;
}

/** `tenant pgp-key`: registers or removes the key; a bad key file or tenant is a usage error (exit 2). */
async function pgpKeyCommand(name: string, file: string | undefined, flags: Record<string, unknown>) {
  try {
    if (flags.remove) {
      if (file !== undefined) throw new TenantError('give either a key file or --remove, not both');
      const removed = await withRegistry(flags, (r) => r.removePgpKey(name));
      console.log(
        removed
          ? `Removed the PGP key of tenant ${name}; encrypted:"pgp" jobs are now refused.`
          : `Tenant ${name} had no PGP key.`,
      );
      return;
    }
    if (file === undefined) throw new TenantError('give the armored public key file (or --remove)');
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      throw new TenantError(
        `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      );
    }
    const { key } = await withRegistry(flags, (r) => r.setPgpKey(name, text));
    if (flags.json) {
      console.log(JSON.stringify({ tenant: name, fingerprint: key.fingerprint, userIds: key.userIds }));
    } else {
      const who = key.userIds.length > 0 ? ` (${key.userIds.join(', ')})` : '';
      console.log(
        `Tenant ${name}: result files of encrypted:"pgp" jobs are encrypted to ${key.fingerprint}${who}.`,
      );
    }
  } catch (e) {
    if (!(e instanceof TenantError)) throw e;
    process.stderr.write(`openaqua: ${e.message}\n`);
    process.exitCode = 2;
  }
}

/**
 * `openaqua tenant create|set|list|pgp-key`: tenants, their credentials and their PGP key.
 * @example register(program); // openaqua tenant create acme --json
 */
export function register(program: Command): void {
  const tenant = program.command('tenant').description('create, change and list tenants');

  tenant
    .command('create <name>')
    .description('create a tenant and print its credentials (user/password and OAuth client)')
    .option('--username <user>', 'user name for Basic auth (default: the tenant name)')
    .option('--password <password>', 'password (default: a random one)')
    .option('--time-zone <zone>', 'IANA time zone of the tenant (default America/Los_Angeles)')
    .option('--segments <on|off>', 'split stateful full loads into segment files', onOff)
    .option('--json', 'print {"tenant","username","password","clientId","clientSecret"}')
    .addOption(settingOption('dataDir'))
    .addOption(settingOption('databaseUrl'))
    .action(async (name: string, flags: Record<string, unknown>) => {
      const { tenant: created, credentials } = await withRegistry(flags, (r) =>
        r.createTenant({
          name,
          username: flags.username as string | undefined,
          password: flags.password as string | undefined,
          timeZone: flags.timeZone as string | undefined,
          segments: flags.segments as boolean | undefined,
        }),
      );
      if (flags.json) console.log(JSON.stringify({ tenant: created.name, ...credentials }));
      else console.log(`Created tenant ${describeTenant(created)}.\n${credentialsText(credentials)}`);
    });

  tenant
    .command('set <name>')
    .description("change a tenant's settings")
    .option('--segments <on|off>', 'split stateful full loads into segment files', onOff)
    .option('--time-zone <zone>', 'IANA time zone of the tenant')
    .addOption(settingOption('dataDir'))
    .addOption(settingOption('databaseUrl'))
    .action(async (name: string, flags: Record<string, unknown>) => {
      const updated = await withRegistry(flags, (r) =>
        r.updateTenant(name, {
          segments: flags.segments as boolean | undefined,
          timeZone: flags.timeZone as string | undefined,
        }),
      );
      console.log(`Tenant ${describeTenant(updated)}.`);
    });

  tenant
    .command('pgp-key <name> [keyFile]')
    .description(
      'register the ASCII-armored OpenPGP public key that result files of encrypted:"pgp" jobs are encrypted to',
    )
    .option('--remove', 'drop the tenant\'s key (encrypted:"pgp" jobs are then refused)')
    .option('--json', 'print {"tenant","fingerprint","userIds"}')
    .addOption(settingOption('dataDir'))
    .addOption(settingOption('databaseUrl'))
    .action(pgpKeyCommand);

  tenant
    .command('list')
    .description('list tenants')
    .option('--json', 'print a JSON array')
    .addOption(settingOption('dataDir'))
    .addOption(settingOption('databaseUrl'))
    .action(async (flags: Record<string, unknown>) => {
      const list = await withRegistry(flags, (r) => r.listTenants());
      if (flags.json) console.log(JSON.stringify(list));
      else if (list.length === 0) console.log('No tenants.');
      else for (const t of list) console.log(describeTenant(t));
    });
}
