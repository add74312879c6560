/**
 * The benchmark's data: a tenant in a data directory, seeded through the CLI with the deterministic
 * invoice-item world, and the export query with the SQL it compiles to (the `sqlite3` baseline).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compileSqlite } from '../src/store/sqlite/compile.ts';
import { openTenantRegistry } from '../src/tenants/index.ts';
import { analyze } from '../src/zoql/index.ts';

export const BIN = fileURLToPath(new URL('../bin/openaqua.js', import.meta.url));
export const TENANT = 'bench';
const SEED = 1;

/** InvoiceItem with fields of three joined objects: Invoice, Account and the bill-to Contact. */
export const EXPORT_QUERY =
  'select Id, ChargeAmount, ChargeDate, ServiceStartDate, Quantity, UnitPrice, Invoice.InvoiceNumber, ' +
  'Invoice.InvoiceDate, Account.AccountNumber, Account.Name, BillToContact.FirstName, BillToContact.Country ' +
  'from InvoiceItem';

export interface World {
  readonly dataDir: string;
  readonly tenant: string;
  readonly username: string;
  readonly password: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** The tenant's SQLite file, which the `sqlite3` baseline reads. */
  readonly tenantFile: string;
  /** Invoice items in the tenant. */
  readonly rows: number;
  readonly query: string;
  /** The SQL `compileSqlite` makes of `query` (no parameters, so the `sqlite3` shell runs it as is). */
  readonly sql: string;
  readonly seedSeconds: number;
}

/** Runs the CLI synchronously; throws with its output when it fails. */
export function cli(args: string[]): string {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.error) throw r.error;
  if (r.status !== 0) {
    throw new Error(`openaqua ${args.slice(0, 2).join(' ')} exited ${r.status}: ${r.stderr.slice(-2000)}`);
  }
  return r.stdout;
}

function invoiceItemCount(tenantFile: string): number {
  const r = spawnSync(
    'sqlite3',
    [tenantFile, 'SELECT count(*) FROM "InvoiceItem" WHERE "_deleted_at" IS NULL'],
    {
      encoding: 'utf8',
    },
  );
  if (r.status !== 0) throw new Error(`sqlite3 could not read ${tenantFile}: ${r.stderr}`);
  return Number(r.stdout.trim());
}

/** Creates the tenant and seeds `rows` invoice items, unless the data directory already has it. */
export function buildWorld(dataDir: string, rows: number, log: (s: string) => void): World {
  const credentialsFile = `${dataDir}/bench-credentials.json`;
  let credentials: { username: string; password: string; clientId: string; clientSecret: string };
  let seedSeconds = 0;
  if (existsSync(credentialsFile)) {
    credentials = JSON.parse(readFileSync(credentialsFile, 'utf8'));
    log(`reusing tenant '${TENANT}' in ${dataDir}`);
  } else {
    const out = cli(['tenant', 'create', TENANT, '--json', '--data', dataDir]);
    credentials = JSON.parse(out.trim().split('\n').pop()!);
    const started = performance.now();
    log(`seeding ${rows.toLocaleString('en-US')} invoice items (seed ${SEED})...`);
    cli(['seed', TENANT, '--invoice-items', String(rows), '--seed', String(SEED), '--data', dataDir]);
    seedSeconds = (performance.now() - started) / 1000;
    log(`seeded in ${seedSeconds.toFixed(1)} s`);
    writeFileSync(credentialsFile, JSON.stringify(credentials));
  }

  const registry = openTenantRegistry({ dataDir });
  try {
    const tenant = registry.findTenant(TENANT);
    if (!tenant) throw new Error(`tenant '${TENANT}' not found in ${dataDir}`);
    const compiled = compileSqlite(analyze(EXPORT_QUERY, 'zoqlexport'), {
      now: Date.now(),
      timeZone: tenant.timeZone,
    });
    if (compiled.params.length > 0) throw new Error('the export query compiled to SQL with parameters');
    const tenantFile = registry.dataPath(tenant.id);
    const items = invoiceItemCount(tenantFile);
    if (items !== rows) throw new Error(`the tenant holds ${items} invoice items, not ${rows}`);
    return {
      dataDir,
      tenant: TENANT,
      username: credentials.username,
      password: credentials.password,
      clientId: credentials.clientId,
      clientSecret: credentials.clientSecret,
      tenantFile,
      rows,
      query: EXPORT_QUERY,
      sql: compiled.sql,
      seedSeconds,
    };
  } finally {
    registry.close();
  }
}
