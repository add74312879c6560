import type { Command } from 'commander';
import { settingOption } from '../config.ts';
import { RecordError } from '../errors.ts';
import { loadCsv } from '../load/index.ts';
import { getObject } from '../schema/index.ts';
import { withTenant } from './context.ts';

/**
 * `openaqua load <tenant> <Object> <file.csv>`: upserts records by Id from a CSV file whose header
 * names fields bare (`Name`) or qualified (`Account.Name`). All or nothing: a bad row writes nothing.
 * @example register(program); // openaqua load demo Account accounts.csv
 */
export function register(program: Command): void {
  program
    .command('load <tenant> <object> <file>')
    .description('create or update records of one object from a CSV file (upsert by Id; all or nothing)')
    .addOption(settingOption('dataDir'))
    .addOption(settingOption('databaseUrl'))
    .action(async (tenantName: string, objectName: string, file: string, flags: Record<string, unknown>) => {
      const object = getObject(objectName);
      if (!object) {
        process.stderr.write(`openaqua: unknown object '${objectName}'\n`);
        process.exitCode = 2;
        return;
      }
      await withTenant(flags, tenantName, async (_tenant, store) => {
        try {
          const r = await loadCsv(store, object.name, file);
          console.log(`${object.name}: ${r.inserted} created, ${r.updated} updated`);
        } catch (e) {
          if (!(e instanceof RecordError)) throw e;
          process.stderr.write(`openaqua: ${e.message}\n`);
          process.exitCode = 2;
        }
      });
    });
}
