import { availableParallelism } from 'node:os';
import { Option } from 'commander';
import {
  DELETED_RETENTION_DAYS,
  FILE_RETENTION_DAYS,
  JOB_LEASE_MILLIS,
  JOB_RETENTION_DAYS,
  RATE_LIMIT_AUTH_FAILURES,
  RATE_LIMIT_REQUESTS,
} from './limits.ts';
import { storeLocation } from './store/location.ts';

/** Every setting of the server, resolved: flag, then environment, then default. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string;
  files: string;
  role: ServerRole;
  workers: number;
  exportThreads: number;
  leaseSeconds: number;
  allowPrivateNotify: boolean;
  fileRetentionDays: number;
  jobRetentionDays: number;
  deletedRetentionDays: number;
  logLevel: string;
  demoAccounts: number;
  rateLimit: number;
  authFailureLimit: number;
}

export type ConfigKey = keyof Config;

/** What a server process does: answer the API, run jobs, or both. */
export type ServerRole = 'api' | 'worker' | 'all';

/** One row of the settings table (also the source of the README's configuration reference). */
export interface Setting<K extends ConfigKey = ConfigKey> {
  readonly key: K;
  /** The command-line flag, in commander syntax: `--port <n>`, `--allow-private-notify`. */
  readonly flag: string;
  readonly env: string;
  readonly default: () => Config[K];
  /** How the default reads in help and documentation. */
  readonly defaultText: string;
  readonly description: string;
  /** Turns a flag or environment value into the setting; throws a message naming what is wrong. */
  readonly parse: (raw: string | boolean) => Config[K];
}

/** A problem with a setting's value. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

function integer(min: number, max: number) {
  return (raw: string | boolean): number => {
    const n = typeof raw === 'string' && /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      throw new Error(`must be an integer from ${min} to ${max}, not '${String(raw)}'`);
    }
    return n;
  };
}

function text(raw: string | boolean): string {
  if (typeof raw !== 'string' || raw.trim() === '') throw new Error('must not be empty');
  return raw.trim();
}

function flag(raw: string | boolean): boolean {
  if (typeof raw === 'boolean') return raw;
  const v = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off', ''].includes(v)) return false;
  throw new Error(`must be true or false, not '${raw}'`);
}

function setting<K extends ConfigKey>(s: Setting<K>): Setting<K> {
  return s;
}

/** The settings table: name, flag, environment variable, default, description. */
export const SETTINGS = [
  setting({
    key: 'port',
    flag: '--port <port>',
    env: 'OPENAQUA_PORT',
    default: () => 8080,
    defaultText: '8080',
    description: 'TCP port the server listens on (0 picks a free one)',
    parse: integer(0, 65_535),
  }),
  setting({
    key: 'host',
    flag: '--host <host>',
    env: 'OPENAQUA_HOST',
    default: () => '127.0.0.1',
    defaultText: '127.0.0.1',
    description: 'address the server binds to; 0.0.0.0 serves every interface',
    parse: text,
  }),
  setting({
    key: 'dataDir',
    flag: '--data <dir>',
    env: 'OPENAQUA_DATA',
    default: () => './openaqua-data',
    defaultText: './openaqua-data',
    description: 'directory holding tenants, their data, jobs and result files',
    parse: text,
  }),
  setting({
    key: 'databaseUrl',
    flag: '--database-url <url>',
    env: 'OPENAQUA_DATABASE_URL',
    default: () => '',
    defaultText: 'none: the embedded SQLite store in the data directory',
    description: 'PostgreSQL to keep tenants, their data and jobs in (postgres://user:password@host:5432/db)',
    parse: (raw) => {
      const url = text(raw);
      storeLocation('.', url);
      return url;
    },
  }),
  setting({
    key: 'files',
    flag: '--files <where>',
    env: 'OPENAQUA_FILES',
    default: () => '',
    defaultText: 'files/ in the data directory',
    description:
      'where result files are kept: a directory, or s3://bucket/prefix (endpoint and keys from AWS_ENDPOINT_URL, AWS_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)',
    parse: text,
  }),
  setting({
    key: 'role',
    flag: '--role <role>',
    env: 'OPENAQUA_ROLE',
    default: (): ServerRole => 'all',
    defaultText: 'all',
    description:
      'api (answer requests, run no jobs), worker (run jobs, answer only /healthz, /readyz and /metrics) or all',
    parse: (raw): ServerRole => {
      const v = text(raw);
      if (v !== 'api' && v !== 'worker' && v !== 'all')
        throw new Error(`must be api, worker or all, not '${v}'`);
      return v;
    },
  }),
  setting({
    key: 'workers',
    flag: '--workers <n>',
    env: 'OPENAQUA_WORKERS',
    default: () => availableParallelism(),
    defaultText: 'number of CPU cores',
    description: 'jobs run at the same time',
    parse: integer(1, 1024),
  }),
  setting({
    key: 'exportThreads',
    flag: '--export-threads <n>',
    env: 'OPENAQUA_EXPORT_THREADS',
    default: () => availableParallelism(),
    defaultText: 'number of CPU cores',
    description: 'threads one large export on the embedded store is split across (1: never split)',
    parse: integer(1, 64),
  }),
  setting({
    key: 'leaseSeconds',
    flag: '--lease-seconds <s>',
    env: 'OPENAQUA_LEASE_SECONDS',
    default: () => JOB_LEASE_MILLIS / 1000,
    defaultText: String(JOB_LEASE_MILLIS / 1000),
    description:
      'a running job whose process stops renewing its lease for this long (it crashed) is run again by another',
    parse: integer(1, 86_400),
  }),
  setting({
    key: 'allowPrivateNotify',
    flag: '--allow-private-notify',
    env: 'OPENAQUA_ALLOW_PRIVATE_NOTIFY',
    default: () => false,
    defaultText: 'false',
    description: 'let notifyUrl call private and loopback addresses',
    parse: flag,
  }),
  setting({
    key: 'fileRetentionDays',
    flag: '--file-retention-days <days>',
    env: 'OPENAQUA_FILE_RETENTION_DAYS',
    default: () => FILE_RETENTION_DAYS,
    defaultText: String(FILE_RETENTION_DAYS),
    description: 'days a result file can be downloaded',
    parse: integer(1, 36_500),
  }),
  setting({
    key: 'jobRetentionDays',
    flag: '--job-retention-days <days>',
    env: 'OPENAQUA_JOB_RETENTION_DAYS',
    default: () => JOB_RETENTION_DAYS,
    defaultText: String(JOB_RETENTION_DAYS),
    description: 'days a job record is kept',
    parse: integer(1, 36_500),
  }),
  setting({
    key: 'deletedRetentionDays',
    flag: '--deleted-retention-days <days>',
    env: 'OPENAQUA_DELETED_RETENTION_DAYS',
    default: () => DELETED_RETENTION_DAYS,
    defaultText: String(DELETED_RETENTION_DAYS),
    description:
      'days a deleted record is kept for incremental exports before it is purged (a session idle longer gets a full load)',
    parse: integer(1, 36_500),
  }),
  setting({
    key: 'logLevel',
    flag: '--log-level <level>',
    env: 'OPENAQUA_LOG_LEVEL',
    default: () => 'info',
    defaultText: 'info',
    description: 'fatal, error, warn, info, debug, trace or silent',
    parse: (raw) => {
      const v = text(raw);
      if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(v)) {
        throw new Error(`must be fatal, error, warn, info, debug, trace or silent, not '${v}'`);
      }
      return v;
    },
  }),
  setting({
    key: 'demoAccounts',
    flag: '--demo-accounts <n>',
    env: 'OPENAQUA_DEMO_ACCOUNTS',
    default: () => 200,
    defaultText: '200',
    description: 'accounts generated for the demo tenant on first start',
    parse: integer(0, 1_000_000),
  }),
  setting({
    key: 'rateLimit',
    flag: '--rate-limit <n>',
    env: 'OPENAQUA_RATE_LIMIT',
    default: () => RATE_LIMIT_REQUESTS,
    defaultText: String(RATE_LIMIT_REQUESTS),
    description: 'requests per minute one credential may make (then HTTP 429); 0 turns the limit off',
    parse: integer(0, 1_000_000),
  }),
  setting({
    key: 'authFailureLimit',
    flag: '--auth-failure-limit <n>',
    env: 'OPENAQUA_AUTH_FAILURE_LIMIT',
    default: () => RATE_LIMIT_AUTH_FAILURES,
    defaultText: String(RATE_LIMIT_AUTH_FAILURES),
    description:
      'failed authentications per minute from one client address before its password checks get HTTP 429; 0 turns the limit off',
    parse: integer(0, 1_000_000),
  }),
] as const satisfies readonly Setting[];

function settingOf(key: ConfigKey): Setting {
  const s = SETTINGS.find((x) => x.key === key);
  if (!s) throw new Error(`no setting '${key}'`);
  return s as Setting;
}

/** The commander option of a setting; its attribute name is how `resolveConfig` finds the flag value. */
export function settingOption(key: ConfigKey): Option {
  const s = settingOf(key);
  return new Option(s.flag, `${s.description} (env ${s.env}, default ${s.defaultText})`);
}

/**
 * Resolves one setting: a flag given on the command line wins, then the environment, then the default.
 * `flags` holds commander's parsed options (attribute names, e.g. `allowPrivateNotify`, `data`).
 * @example resolveSetting('dataDir', { data: '/srv/aqua' }, {}) === '/srv/aqua'
 */
export function resolveSetting<K extends ConfigKey>(
  key: K,
  flags: Record<string, unknown>,
  env: NodeJS.ProcessEnv = process.env,
): Config[K] {
  const s = settingOf(key) as unknown as Setting<K>;
  const fromFlag = flags[new Option(s.flag).attributeName()];
  const fromEnv = env[s.env];
  try {
    if (fromFlag !== undefined) return s.parse(fromFlag as string | boolean);
    if (fromEnv !== undefined && fromEnv !== '') return s.parse(fromEnv);
    return s.default();
  } catch (e) {
    const source = fromFlag !== undefined ? s.flag.split(' ')[0] : s.env;
    throw new ConfigError(`${source}: ${(e as Error).message}`);
  }
}

/**
 * Resolves every setting (see resolveSetting).
 * @example resolveConfig({ port: '9000' }, {}).port === 9000
 */
export function resolveConfig(flags: Record<string, unknown>, env: NodeJS.ProcessEnv = process.env): Config {
  const out: Partial<Record<ConfigKey, unknown>> = {};
  for (const s of SETTINGS) out[s.key] = resolveSetting(s.key, flags, env);
  return out as Config;
}
