/**
 * Soak: `node --import tsx bench/soak.ts [--minutes 10] [--clients 6] [--accounts 2000] [--seed 1]
 *   [--database-url URL | --postgres] [--keep]`
 *
 * Starts a real `openaqua serve` process on a temporary data directory holding one tenant seeded with
 * `openaqua seed <tenant> --accounts N`, then runs mixed load from several concurrent clients for a
 * warm-up of 30 s plus `--minutes`: stateless jobs (csv, gzip, zip; Export ZOQL and ZOQL, a few with
 * several queries), stateful sessions (full, then incremental with a deleted column), polls, downloads
 * (every file checked: gzip and zip integrity, the zip's one entry, CSV records = recordCount), cancels
 * of running jobs, Account creates, reads, updates and deletes through /v1/object/account, and errors
 * made on purpose (a bad query: 90005; an unknown job id: 90002; a wrong password: HTTP 401), which are
 * counted apart. Any other failure is an unintended error. The server's VmRSS (/proc/<pid>/status) is
 * sampled every 10 s; start is the sample after the warm-up.
 *
 *   --minutes N        load after the warm-up (default 10)
 *   --clients N        concurrent clients (default 6)
 *   --accounts N       accounts seeded (default 2000; every other object scales with it)
 *   --seed N           seed of the clients' choices (default 1)
 *   --database-url U   keep tenants and jobs in this PostgreSQL (a tenant of a new name is made in it)
 *   --postgres         the same, in a throwaway cluster made with the machine's initdb (test support)
 *   --keep             keep the temporary directory
 *
 * Prints the figures at the end; exit status 1 when there was an unintended error.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { crc32, gunzipSync } from 'node:zlib';
import yauzl from 'yauzl';
import { type AquaBatch, AquaClient, type AquaFormat, type AquaJob } from './aqua-client.ts';
import { killAllNow, stopAll } from './procs.ts';
import { type ServerProcess, startServer } from './server.ts';
import { countCsv } from './verify.ts';
import { cli } from './world.ts';

const WARM_UP_MS = 30_000;
const SAMPLE_EVERY_MS = 10_000;
const FINISHED = new Set(['completed', 'aborted', 'cancelled', 'error']);
/** Wrong-password requests per minute, under the server's default auth-failure limit (60). */
const WRONG_PASSWORD_PER_MINUTE = 20;
/** A job taking longer than this is reported as an unintended error. */
const JOB_TIMEOUT_MS = 120_000;

// ---------------------------------------------------------------------------------------------------
// Options

function usage(message: string): never {
  console.error(`soak: ${message}`);
  console.error(
    'usage: node --import tsx bench/soak.ts [--minutes N] [--clients N] [--accounts N] [--seed N] [--database-url URL | --postgres] [--keep]',
  );
  process.exit(2);
}

function positive(name: string, raw: string | undefined, fallback: number, whole = true): number {
  if (raw === undefined) return fallback;
  const n = Number(raw.replace(/[_,]/g, ''));
  if (!Number.isFinite(n) || n <= 0 || (whole && !Number.isSafeInteger(n)))
    usage(`--${name} must be a positive ${whole ? 'whole ' : ''}number, not '${raw}'`);
  return n;
}

function parseOptions() {
  let v: Record<string, string | boolean | undefined>;
  try {
    v = parseArgs({
      options: {
        minutes: { type: 'string' },
        clients: { type: 'string' },
        accounts: { type: 'string' },
        seed: { type: 'string' },
        'database-url': { type: 'string' },
        postgres: { type: 'boolean' },
        keep: { type: 'boolean' },
      },
      strict: true,
    }).values;
  } catch (e) {
    usage((e as Error).message);
  }
  if (v['database-url'] !== undefined && v.postgres) usage('give --database-url or --postgres, not both');
  return {
    minutes: positive('minutes', v.minutes as string | undefined, 10, false),
    clients: positive('clients', v.clients as string | undefined, 6),
    accounts: positive('accounts', v.accounts as string | undefined, 2000),
    seed: positive('seed', v.seed as string | undefined, 1),
    databaseUrl: v['database-url'] as string | undefined,
    postgres: v.postgres === true,
    keep: v.keep === true,
  };
}

// ---------------------------------------------------------------------------------------------------
// Counters

class Stats {
  readonly requests = new Map<string, number>();
  readonly intended = new Map<string, number>();
  readonly unintended: string[] = [];
  unintendedCount = 0;
  readonly jobs = { completed: 0, cancelled: 0, aborted: 0, cancelTooLate: 0, full: 0, incremental: 0 };
  files = 0;
  rows = 0;
  bytes = 0;
  readonly crud = { created: 0, read: 0, updated: 0, deleted: 0 };

  request(kind: string): void {
    this.requests.set(kind, (this.requests.get(kind) ?? 0) + 1);
  }

  intendedError(kind: string): void {
    this.intended.set(kind, (this.intended.get(kind) ?? 0) + 1);
  }

  error(where: string, e: unknown): void {
    this.unintendedCount++;
    const message = e instanceof Error ? e.message : String(e);
    if (this.unintended.length < 50)
      this.unintended.push(`${where}: ${message.replace(/\s+/g, ' ').slice(0, 400)}`);
  }
}

// ---------------------------------------------------------------------------------------------------
// Load

/** A small deterministic generator (mulberry32), one per client. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface Query {
  readonly name: string;
  readonly query: string;
  readonly type: 'zoql' | 'zoqlexport';
  readonly deleted?: { column: string; format: 'Numeric' | 'Boolean' };
}

const STATELESS: readonly Query[] = [
  {
    name: 'accounts',
    query: 'select Id, Name, AccountNumber, Balance, Status, CreatedDate, UpdatedDate from Account',
    type: 'zoqlexport',
  },
  {
    name: 'contacts',
    query: 'select Id, FirstName, LastName, Country, WorkEmail from Contact',
    type: 'zoqlexport',
  },
  {
    name: 'invoices',
    query:
      'select Id, InvoiceNumber, Amount, InvoiceDate, Account.AccountNumber from Invoice where Amount > 100',
    type: 'zoqlexport',
  },
  {
    name: 'usage',
    query: 'select Id, Quantity, UOM, StartDateTime, Account.Name from Usage',
    type: 'zoqlexport',
  },
  {
    name: 'currencies',
    query: 'select Account.Currency, count(Id) from Invoice group by Account.Currency',
    type: 'zoqlexport',
  },
  { name: 'active', query: "select Id, Name from Account where Status = 'Active'", type: 'zoql' },
];

/** A job long enough to be caught running: every invoice item with fields of three joined objects. */
const LONG_QUERY: Query = {
  name: 'items',
  query:
    'select Id, ChargeAmount, ChargeDate, ServiceStartDate, Quantity, UnitPrice, Invoice.InvoiceNumber, ' +
    'Invoice.InvoiceDate, Account.AccountNumber, Account.Name, BillToContact.FirstName, BillToContact.Country ' +
    'from InvoiceItem',
  type: 'zoqlexport',
};

const STATEFUL: readonly Query[] = [
  {
    name: 'Account',
    query: 'select Id, Name, Status, Balance, UpdatedDate from Account',
    type: 'zoqlexport',
    deleted: { column: 'IsDeleted', format: 'Numeric' },
  },
  {
    name: 'Contact',
    query: 'select Id, FirstName, LastName, UpdatedDate from Contact',
    type: 'zoqlexport',
    deleted: { column: 'IsDeleted', format: 'Boolean' },
  },
];

const FORMATS: readonly AquaFormat[] = ['csv', 'gzip', 'zip'];

/** Who may send a wrong password now: a shared budget per minute. */
class WrongPasswordBudget {
  private times: number[] = [];
  take(): boolean {
    const now = performance.now();
    this.times = this.times.filter((t) => now - t < 60_000);
    if (this.times.length >= WRONG_PASSWORD_PER_MINUTE) return false;
    this.times.push(now);
    return true;
  }
}

interface Shared {
  readonly url: string;
  readonly username: string;
  readonly password: string;
  readonly stats: Stats;
  readonly workDir: string;
  readonly deadline: number;
  readonly wrongPassword: WrongPasswordBudget;
}

/** Counts the CSV records of a zip's one entry, checking its name and CRC-32. */
function zipRecords(bytes: Buffer, entryName: string): Promise<{ records: number; csvBytes: number }> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(bytes, { lazyEntries: true, validateEntrySizes: true }, (err, zip) => {
      if (err || !zip) {
        reject(err ?? new Error('unreadable zip'));
        return;
      }
      const names: string[] = [];
      let result: { records: number; csvBytes: number } | undefined;
      zip.on('error', reject);
      zip.on('entry', (entry: yauzl.Entry) => {
        names.push(entry.fileName);
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) {
            reject(e ?? new Error(`cannot read ${entry.fileName}`));
            return;
          }
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('error', reject);
          stream.on('end', async () => {
            const csv = Buffer.concat(chunks);
            if (crc32(csv) !== entry.crc32) {
              reject(new Error(`zip entry ${entry.fileName}: CRC-32 mismatch`));
              return;
            }
            const count = await countCsv(Readable.from([csv]));
            result = { records: count.records, csvBytes: count.bytes };
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => {
        if (names.length !== 1 || names[0] !== entryName) {
          reject(new Error(`the zip holds ${JSON.stringify(names)}, not ["${entryName}"]`));
          return;
        }
        resolve(result!);
      });
      zip.readEntry();
    });
  });
}

class SoakClient {
  private readonly client: AquaClient;
  private readonly wrong: AquaClient;
  private readonly random: () => number;
  private readonly created: string[] = [];
  private readonly sessions: string[];
  private downloads = 0;

  constructor(
    private readonly n: number,
    private readonly shared: Shared,
    seed: number,
  ) {
    this.client = new AquaClient(shared.url, shared.username, shared.password);
    this.wrong = new AquaClient(shared.url, shared.username, `${shared.password}x`);
    this.random = prng(seed * 1000 + n);
    this.sessions = [0, 1, 2].map((k) => `client${n}-session${k}`);
  }

  close(): void {
    this.client.close();
    this.wrong.close();
  }

  /** One of weighted choices `[weight, ...]`, `total` the sum of the weights. */
  private choose<T extends readonly [number, ...unknown[]]>(choices: readonly T[], total: number): T {
    let r = this.random() * total;
    for (const c of choices) {
      r -= c[0];
      if (r < 0) return c;
    }
    return choices[choices.length - 1]!;
  }

  private pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.random() * xs.length)]!;
  }

  private get stats(): Stats {
    return this.shared.stats;
  }

  async run(): Promise<void> {
    const actions: [number, string, () => Promise<void>][] = [
      [30, 'stateless', () => this.stateless()],
      [6, 'multi-query', () => this.multiQuery()],
      [18, 'stateful', () => this.stateful()],
      [10, 'cancel', () => this.cancel()],
      [28, 'crud', () => this.crud()],
      [8, 'intended-error', () => this.intendedError()],
    ];
    const total = actions.reduce((s, a) => s + a[0], 0);
    while (performance.now() < this.shared.deadline) {
      const action = this.choose(actions, total);
      try {
        await action[2]();
      } catch (e) {
        this.stats.error(`client ${this.n} ${action[1]}`, e);
        // A server that stopped answering would otherwise make this loop spin.
        await sleep(1000);
      }
    }
  }

  private async json(kind: string, method: string, path: string, body?: unknown, via = this.client) {
    this.stats.request(kind);
    const { status, text } = await via.request(method, path, body);
    return { status, text, body: status === 200 ? (JSON.parse(text) as Record<string, unknown>) : undefined };
  }

  private async submit(body: Record<string, unknown>): Promise<AquaJob> {
    const r = await this.json('submit', 'POST', '/v1/batch-query/', body);
    if (r.status !== 200) throw new Error(`submit: HTTP ${r.status}: ${r.text.slice(0, 300)}`);
    const job = r.body as unknown as AquaJob;
    if (job.status === 'error' || !job.id)
      throw new Error(
        `submit refused: ${job.errorCode ?? ''} ${job.message ?? ''} ${JSON.stringify(job.batches)}`,
      );
    return job;
  }

  private async get(id: string): Promise<AquaJob> {
    const r = await this.json('poll', 'GET', `/v1/batch-query/jobs/${id}`);
    if (r.status !== 200) throw new Error(`GET job: HTTP ${r.status}: ${r.text.slice(0, 300)}`);
    return r.body as unknown as AquaJob;
  }

  private async waitFinished(id: string): Promise<AquaJob> {
    const started = performance.now();
    for (;;) {
      const job = await this.get(id);
      if (FINISHED.has(job.status)) return job;
      if (performance.now() - started > JOB_TIMEOUT_MS)
        throw new Error(`job ${id} still ${job.status} after ${JOB_TIMEOUT_MS / 1000} s`);
      await sleep(100 + this.random() * 150);
    }
  }

  /** Downloads and checks every file of a completed job. */
  private async verifyJob(job: AquaJob, format: AquaFormat): Promise<void> {
    for (const b of job.batches ?? []) await this.verifyBatch(b, format);
  }

  private async verifyBatch(batch: AquaBatch & { full?: boolean }, format: AquaFormat): Promise<void> {
    if (batch.status !== 'completed')
      throw new Error(`batch ${batch.name} ${batch.status}: ${batch.message}`);
    const files = batch.segments ?? (batch.fileId ? [batch.fileId] : []);
    if (files.length === 0) throw new Error(`completed batch ${batch.name} without a file`);
    let rows = 0;
    for (const fileId of files) rows += await this.verifyFile(fileId, format, batch.name ?? '');
    if (rows !== batch.recordCount)
      throw new Error(
        `batch ${batch.name}: files hold ${rows} data rows, recordCount is ${batch.recordCount}`,
      );
  }

  /** One file: downloaded, decompressed and checked; its data rows (records less the header). */
  private async verifyFile(fileId: string, format: AquaFormat, name: string): Promise<number> {
    const file = join(this.shared.workDir, `c${this.n}-${this.downloads++ % 4}`);
    this.stats.request('download');
    await this.client.download(fileId, file);
    const bytes = readFileSync(file);
    rmSync(file, { force: true });
    let records: number;
    let csvBytes: number;
    if (format === 'zip') ({ records, csvBytes } = await zipRecords(bytes, `${name}.csv`));
    else {
      // gunzipSync throws on a bad header, a bad CRC-32 or length, and a truncated stream.
      const csv = format === 'gzip' ? gunzipSync(bytes) : bytes;
      const count = await countCsv(Readable.from([csv]));
      records = count.records;
      csvBytes = count.bytes;
    }
    if (records < 1) throw new Error(`file ${fileId} (${name}) has no header row`);
    this.stats.files++;
    this.stats.rows += records - 1;
    this.stats.bytes += csvBytes;
    return records - 1;
  }

  private count(job: AquaJob): void {
    if (job.status === 'completed') this.stats.jobs.completed++;
    else if (job.status === 'cancelled') this.stats.jobs.cancelled++;
    else if (job.status === 'aborted') {
      this.stats.jobs.aborted++;
      throw new Error(`job ${job.id} aborted: ${JSON.stringify(job.batches).slice(0, 400)}`);
    } else throw new Error(`job ${job.id} ended ${job.status}: ${job.message ?? ''}`);
  }

  private async runJob(body: Record<string, unknown>): Promise<AquaJob> {
    const submitted = await this.submit(body);
    const job = await this.waitFinished(submitted.id!);
    this.count(job);
    await this.verifyJob(job, body.format as AquaFormat);
    return job;
  }

  private async stateless(): Promise<void> {
    const q = this.pick(STATELESS);
    await this.runJob({
      format: this.pick(FORMATS),
      version: this.pick(['1.0', '1.1']),
      useQueryLabels: this.random() < 0.5,
      dateTimeUtc: this.random() < 0.5,
      queries: [q],
    });
  }

  private async multiQuery(): Promise<void> {
    const queries = [...STATELESS]
      .sort(() => this.random() - 0.5)
      .slice(0, 2 + Math.floor(this.random() * 3));
    await this.runJob({ format: this.pick(FORMATS), version: '1.1', useQueryLabels: true, queries });
  }

  private async stateful(): Promise<void> {
    const job = await this.runJob({
      format: this.pick(FORMATS),
      version: '1.1',
      partner: 'soak',
      project: this.pick(this.sessions),
      useQueryLabels: true,
      dateTimeUtc: true,
      queries: STATEFUL,
    });
    for (const b of (job.batches ?? []) as { full?: boolean }[]) {
      if (b.full === true) this.stats.jobs.full++;
      else if (b.full === false) this.stats.jobs.incremental++;
    }
  }

  /** Submits a long job and cancels it a moment later; a job that finished first answers 90003. */
  private async cancel(): Promise<void> {
    const format = this.pick(FORMATS);
    const submitted = await this.submit({
      format,
      version: '1.1',
      useQueryLabels: true,
      queries: [LONG_QUERY],
    });
    await sleep(this.random() * 400);
    const r = await this.json('cancel', 'DELETE', `/v1/batch-query/jobs/${submitted.id}`);
    if (r.status !== 200) throw new Error(`DELETE job: HTTP ${r.status}: ${r.text.slice(0, 300)}`);
    const answer = r.body as unknown as AquaJob;
    if (answer.status === 'cancelled') {
      const job = await this.get(submitted.id!);
      if (job.status !== 'cancelled') throw new Error(`cancelled job ${submitted.id} reads ${job.status}`);
      this.count(job);
      // Batches that finished before the cancel keep their files.
      for (const b of job.batches ?? []) if (b.status === 'completed') await this.verifyBatch(b, format);
      return;
    }
    if (answer.errorCode !== '90003') throw new Error(`DELETE answered ${r.text.slice(0, 300)}`);
    this.stats.jobs.cancelTooLate++;
    const job = await this.waitFinished(submitted.id!);
    this.count(job);
    await this.verifyJob(job, format);
  }

  private async crud(): Promise<void> {
    const k = Math.floor(this.random() * 1e9);
    const created = await this.json('crud-create', 'POST', '/v1/object/account', {
      Name: `soak ${this.n}-${k}`,
      Status: 'Active',
      Currency: 'USD',
      BillCycleDay: 1 + (k % 28),
      PaymentTerm: 'Net 30',
    });
    const id = created.body?.Id;
    if (created.status !== 200 || created.body?.Success !== true || typeof id !== 'string')
      throw new Error(`create: HTTP ${created.status}: ${created.text.slice(0, 300)}`);
    this.stats.crud.created++;
    this.created.push(id);

    const target = this.pick(this.created);
    const name = `soak ${this.n}-${k} renamed`;
    const updated = await this.json('crud-update', 'PUT', `/v1/object/account/${target}`, { Name: name });
    if (updated.status !== 200 || updated.body?.Success !== true)
      throw new Error(`update: HTTP ${updated.status}: ${updated.text.slice(0, 300)}`);
    this.stats.crud.updated++;

    const read = await this.json('crud-read', 'GET', `/v1/object/account/${target}`);
    if (read.status !== 200 || read.body?.Name !== name)
      throw new Error(`read after update: HTTP ${read.status}: ${read.text.slice(0, 300)}`);
    this.stats.crud.read++;

    if (this.created.length > 3 && this.random() < 0.4) {
      const gone = this.created.splice(Math.floor(this.random() * this.created.length), 1)[0]!;
      const deleted = await this.json('crud-delete', 'DELETE', `/v1/object/account/${gone}`);
      if (deleted.status !== 200 || deleted.body?.success !== true)
        throw new Error(`delete: HTTP ${deleted.status}: ${deleted.text.slice(0, 300)}`);
      this.stats.crud.deleted++;
      const after = await this.json('crud-read', 'GET', `/v1/object/account/${gone}`);
      if (after.status !== 404) throw new Error(`read after delete: HTTP ${after.status}`);
      this.stats.crud.read++;
    }
  }

  private async intendedError(): Promise<void> {
    const which = this.random();
    if (which < 0.3 && this.shared.wrongPassword.take()) {
      const r = await this.json(
        'wrong-password',
        'GET',
        `/v1/batch-query/jobs/${hex32()}`,
        undefined,
        this.wrong,
      );
      if (r.status !== 401)
        throw new Error(`wrong password answered HTTP ${r.status}: ${r.text.slice(0, 200)}`);
      this.stats.intendedError('401 wrong password');
    } else if (which < 0.65) {
      const r = await this.json('submit-bad-query', 'POST', '/v1/batch-query/', {
        format: 'csv',
        version: '1.1',
        queries: [
          {
            name: 'bad',
            query: this.pick(['select Id, Nonsense from Account', 'selec Id frm Account']),
            type: 'zoqlexport',
          },
        ],
      });
      if (r.status !== 200 || r.body?.status !== 'error' || r.body?.errorCode !== '90005')
        throw new Error(`bad query answered HTTP ${r.status}: ${r.text.slice(0, 300)}`);
      this.stats.intendedError('90005 bad query');
    } else {
      const r = await this.json('unknown-job', 'GET', `/v1/batch-query/jobs/${hex32()}`);
      if (r.status !== 200 || r.body?.errorCode !== '90002')
        throw new Error(`unknown job answered HTTP ${r.status}: ${r.text.slice(0, 300)}`);
      this.stats.intendedError('90002 unknown job');
    }
  }
}

function hex32(): string {
  return randomBytes(16).toString('hex');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// ---------------------------------------------------------------------------------------------------
// Run

interface Sample {
  readonly seconds: number;
  readonly rssMb: number;
}

/** Least-squares slope of RSS over time, MB per minute. */
function slopePerMinute(samples: readonly Sample[]): number {
  if (samples.length < 2) return Number.NaN;
  const n = samples.length;
  const mx = samples.reduce((s, p) => s + p.seconds, 0) / n;
  const my = samples.reduce((s, p) => s + p.rssMb, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of samples) {
    num += (p.seconds - mx) * (p.rssMb - my);
    den += (p.seconds - mx) ** 2;
  }
  return (num / den) * 60;
}

async function main(): Promise<number> {
  const opts = parseOptions();
  const log = (s: string) => console.log(`[soak ${new Date().toISOString().slice(11, 19)}] ${s}`);
  const root = mkdtempSync(join(tmpdir(), 'openaqua-soak-'));
  const workDir = join(root, 'downloads');
  const dataDir = join(root, 'data');
  let dropDatabase: (() => void) | undefined;
  let server: ServerProcess | undefined;
  const clients: SoakClient[] = [];
  try {
    let store = 'sqlite';
    let databaseUrl = opts.databaseUrl;
    if (opts.postgres) {
      const pg = await import('../test/support/postgres.ts');
      const at = await pg.testServerUrl();
      if ('skip' in at) throw new Error(at.skip);
      const db = pg.createTestDatabase(at.url);
      dropDatabase = () => db.drop();
      databaseUrl = db.url;
    }
    if (databaseUrl !== undefined) {
      // The CLI and the server both read it from the environment.
      process.env.OPENAQUA_DATABASE_URL = databaseUrl;
      store = 'postgresql';
    } else delete process.env.OPENAQUA_DATABASE_URL;
    const tenant = `soak${randomBytes(3).toString('hex')}`;
    const out = cli(['tenant', 'create', tenant, '--json', '--data', dataDir]);
    const credentials = JSON.parse(out.trim().split('\n').pop()!) as { username: string; password: string };
    log(`seeding tenant ${tenant} with ${opts.accounts} accounts on ${store}...`);
    const seedStarted = performance.now();
    cli(['seed', tenant, '--accounts', String(opts.accounts), '--data', dataDir]);
    log(`seeded in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`);
    mkdirSync(workDir, { recursive: true });

    server = await startServer(dataDir);
    log(
      `server pid ${server.pid} at ${server.url}; ${opts.clients} clients, 30 s warm-up + ${opts.minutes} min`,
    );

    const stats = new Stats();
    const started = performance.now();
    const loadMs = opts.minutes * 60_000;
    const deadline = started + WARM_UP_MS + loadMs;
    const shared: Shared = {
      url: server.url,
      username: credentials.username,
      password: credentials.password,
      stats,
      workDir,
      deadline,
      wrongPassword: new WrongPasswordBudget(),
    };
    const samples: Sample[] = [];
    const sample = () => {
      const rss = server!.rssMb();
      if (rss !== undefined) samples.push({ seconds: (performance.now() - started) / 1000, rssMb: rss });
    };
    sample();
    const sampler = setInterval(() => {
      sample();
      const last = samples[samples.length - 1];
      const jobs = stats.jobs;
      log(
        `t=${last?.seconds.toFixed(0)} s RSS ${last?.rssMb.toFixed(0)} MB; jobs ${jobs.completed} completed, ` +
          `${jobs.cancelled} cancelled; ${stats.files} files; unintended errors ${stats.unintendedCount}`,
      );
    }, SAMPLE_EVERY_MS);
    for (let i = 0; i < opts.clients; i++) clients.push(new SoakClient(i, shared, opts.seed));
    await Promise.all(clients.map((c) => c.run()));
    clearInterval(sampler);
    sample();
    const endedSeconds = (performance.now() - started) / 1000;
    const peak = server.peakRssMb();
    const sampledMax = server.sampledMaxRssMb();

    // Report.
    const afterWarmUp = samples.filter((s) => s.seconds >= WARM_UP_MS / 1000 - 1);
    const start = afterWarmUp[0];
    const end = samples[samples.length - 1];
    const max = Math.max(...samples.map((s) => s.rssMb));
    const totalRequests = [...stats.requests.values()].reduce((a, b) => a + b, 0);
    console.log('');
    console.log(
      `soak on ${store}: ${opts.accounts} accounts, ${opts.clients} clients, ${(endedSeconds / 60).toFixed(1)} min ` +
        `(30 s warm-up + ${opts.minutes} min), ${cpus().length} CPUs, load average ${loadavg()
          .map((l) => l.toFixed(2))
          .join(' ')}`,
    );
    console.log(`requests: ${totalRequests} (${(totalRequests / endedSeconds).toFixed(1)}/s)`);
    for (const [kind, n] of [...stats.requests].sort((a, b) => b[1] - a[1]))
      console.log(`  ${kind.padEnd(18)} ${n}`);
    const j = stats.jobs;
    console.log(
      `jobs: ${j.completed} completed, ${j.cancelled} cancelled, ${j.aborted} aborted ` +
        `(cancels that came after the job finished: ${j.cancelTooLate}); stateful batches ${j.full} full, ${j.incremental} incremental`,
    );
    console.log(
      `files verified: ${stats.files} (${stats.rows} data rows = recordCount, ${(stats.bytes / 1048576).toFixed(1)} MB of CSV)`,
    );
    console.log(
      `records: ${stats.crud.created} created, ${stats.crud.updated} updated, ${stats.crud.read} read, ${stats.crud.deleted} deleted`,
    );
    console.log(`intended errors: ${[...stats.intended].map(([k, n]) => `${n} ${k}`).join(', ') || 'none'}`);
    console.log(`unintended errors: ${stats.unintendedCount}`);
    for (const e of stats.unintended) console.log(`  ${e}`);
    console.log(
      `server RSS: start ${start?.rssMb.toFixed(1)} MB (t=${start?.seconds.toFixed(0)} s, after the warm-up), ` +
        `end ${end?.rssMb.toFixed(1)} MB, max sampled every 10 s ${max.toFixed(1)} MB ` +
        `(every 100 ms ${sampledMax.toFixed(1)} MB, VmHWM ${peak?.toFixed(1)} MB)`,
    );
    if (start && end) {
      const drift = end.rssMb - start.rssMb;
      console.log(
        `drift: ${drift >= 0 ? '+' : ''}${drift.toFixed(1)} MB (${((drift / start.rssMb) * 100).toFixed(1)}%) ` +
          `over ${((end.seconds - start.seconds) / 60).toFixed(1)} min; least-squares slope after the warm-up ` +
          `${slopePerMinute(afterWarmUp).toFixed(2)} MB/min`,
      );
    }
    console.log(
      `RSS samples (s:MB): ${samples.map((s) => `${s.seconds.toFixed(0)}:${s.rssMb.toFixed(0)}`).join(' ')}`,
    );
    if (stats.unintendedCount > 0) {
      const tail = server.recentOutput().trim();
      if (tail) console.log(`server output (end): ${tail.slice(-1500)}`);
    }
    return stats.unintendedCount > 0 ? 1 : 0;
  } finally {
    for (const c of clients) c.close();
    await server?.stop();
    await stopAll();
    try {
      dropDatabase?.();
    } catch (e) {
      console.error(`soak: could not drop the test database: ${(e as Error).message}`);
    }
    if (opts.keep) log(`kept ${root}`);
    else rmSync(root, { recursive: true, force: true });
  }
}

process.on('exit', killAllNow);
process.on('SIGINT', () => {
  void stopAll().then(() => process.exit(130));
});

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`soak failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exit(1);
  },
);
