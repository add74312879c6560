/**
 * The benchmark's data: a tenant in a data directory, seeded through the CLI with the deterministic
 * invoice-item world, and the export query with the SQL it compiles to (the `sqlite3` baseline).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { storeLocation, tenantSchema } from '../src/store/location.ts';
import { inlineParams } from '../src/store/postgres/copy-sql.ts';
import { postgresDialect } from '../src/store/postgres/dialect.ts';
import { compileSqlite } from '../src/store/sqlite/compile.ts';
import { compileQuery } from '../src/store/tenant/compile.ts';
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
  readonly store: 'sqlite' | 'postgres';
  readonly dataDir: string;
  /** The PostgreSQL database of a `postgres` world. */
  readonly databaseUrl?: string;
  /** The tenant's schema in a `postgres` world. */
  readonly schema?: string;
  readonly tenant: string;
  readonly username: string;
  readonly password: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** The tenant's SQLite file, which the `sqlite3` baseline reads (a `sqlite` world). */
  readonly tenantFile: string;
  /** Invoice items in the tenant. */
  readonly rows: number;
  readonly query: string;
  /**
   * The SQL the store's compiler makes of `query`, runnable as is by the store's shell: `compileSqlite`'s
   * (no parameters) for `sqlite3`; `compileQuery` with `postgresDialect` for `psql`, any bound values
   * written in as literals (copy-sql.ts `inlineParams`, as the server's COPY path does).
   */
  readonly sql: string;
  readonly seedSeconds: number;
}

/** Runs the CLI synchronously; throws with its output when it fails. */
export function cli(args: string[]): string {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
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

function pgInvoiceItemCount(url: string, schema: string): number {
  const r = spawnSync(
    'psql',
    [
      '-X',
      '-A',
      '-t',
      '-v',
      'ON_ERROR_STOP=1',
      '-d',
      url,
      '-c',
      `SELECT count(*) FROM "${schema}"."InvoiceItem" WHERE "_deleted_at" IS NULL`,
    ],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`psql could not read ${schema}: ${r.stderr}`);
  return Number(r.stdout.trim());
}

/**
 * Creates the tenant and seeds `rows` invoice items, unless the data directory already has it. With
 * `databaseUrl`, the tenant lives in that PostgreSQL database (the data directory holds the
 * credentials and result files).
 */
export function buildWorld(
  dataDir: string,
  rows: number,
  log: (s: string) => void,
  databaseUrl?: string,
): World {
  const credentialsFile = `${dataDir}/bench-credentials.json`;
  const db = databaseUrl ? ['--database-url', databaseUrl] : [];
  let credentials: { username: string; password: string; clientId: string; clientSecret: string };
  let seedSeconds = 0;
  if (existsSync(credentialsFile)) {
    credentials = JSON.parse(readFileSync(credentialsFile, 'utf8'));
    log(`reusing tenant '${TENANT}' in ${dataDir}`);
  } else {
    const out = cli(['tenant', 'create', TENANT, '--json', '--data', dataDir, ...db]);
    credentials = JSON.parse(out.trim().split('\n').pop()!);
    const started = performance.now();
    log(`seeding ${rows.toLocaleString('en-US')} invoice items (seed ${SEED})...`);
    cli(['seed', TENANT, '--invoice-items', String(rows), '--seed', String(SEED), '--data', dataDir, ...db]);
    seedSeconds = (performance.now() - started) / 1000;
    log(`seeded in ${seedSeconds.toFixed(1)} s`);
    writeFileSync(credentialsFile, JSON.stringify(credentials));
  }

  const registry = openTenantRegistry({ location: storeLocation(dataDir, databaseUrl) });
  try {
    const tenant = registry.findTenant(TENANT);
    if (!tenant) throw new Error(`tenant '${TENANT}' not found in ${dataDir}`);
    const analyzed = analyze(EXPORT_QUERY, 'zoqlexport');
    const opts = { now: Date.now(), timeZone: tenant.timeZone };
    let sql: string;
    let tenantFile = '';
    let schema: string | undefined;
    let items: number;
    if (databaseUrl) {
      const compiled = compileQuery(analyzed, opts, postgresDialect);
      sql = inlineParams(compiled.sql, compiled.params);
      if (/[\r\n]/.test(sql)) throw new Error('the export SQL spans lines, which psql \\copy cannot take');
      schema = tenantSchema(tenant.id);
      items = pgInvoiceItemCount(databaseUrl, schema);
    } else {
      const compiled = compileSqlite(analyzed, opts);
      if (compiled.params.length > 0) throw new Error('the export query compiled to SQL with parameters');
      sql = compiled.sql;
      tenantFile = registry.dataPath(tenant.id);
      items = invoiceItemCount(tenantFile);
    }
    if (items !== rows) throw new Error(`the tenant holds ${items} invoice items, not ${rows}`);
    return {
      store: databaseUrl ? 'postgres' : 'sqlite',
      dataDir,
      ...(databaseUrl ? { databaseUrl, schema } : {}),
      tenant: TENANT,
      username: credentials.username,
      password: credentials.password,
      clientId: credentials.clientId,
      clientSecret: credentials.clientSecret,
      tenantFile,
      rows,
      query: EXPORT_QUERY,
      sql,
      seedSeconds,
    };
  } finally {
    registry.close();
  }
}

/** The Id of one live account of the world's tenant (for queries of one row). */
export function oneAccountId(world: World): string {
  const sql = (table: string) =>
    `SELECT "Id" FROM ${table} WHERE "_deleted_at" IS NULL ORDER BY "Id" LIMIT 1`;
  const r =
    world.store === 'postgres'
      ? spawnSync(
          'psql',
          [
            '-X',
            '-A',
            '-t',
            '-v',
            'ON_ERROR_STOP=1',
            '-d',
            world.databaseUrl!,
            '-c',
            sql(`"${world.schema}"."Account"`),
          ],
          {
            encoding: 'utf8',
          },
        )
      : spawnSync('sqlite3', [world.tenantFile, sql('"Account"')], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`could not read an account id: ${r.stderr}`);
  const id = r.stdout.trim();
  if (!/^[A-Za-z0-9]+$/.test(id)) throw new Error(`unexpected account id '${id}'`);
  return id;
}
