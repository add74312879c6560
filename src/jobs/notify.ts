import { lookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { BlockList, isIP, isIPv4 } from 'node:net';
import { NOTIFY_BACKOFF_MILLIS, NOTIFY_TIMEOUT_MILLIS } from '../limits.ts';
import { fillNotifyUrl } from './rules.ts';

/** A notifyUrl that points where the server may not call (loopback, private, link-local...). */
export class NotifyRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotifyRefused';
  }
}

const NOT_PUBLIC = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  NOT_PUBLIC.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  NOT_PUBLIC.addSubnet(net, prefix, 'ipv6');
}

/**
 * Whether an address is loopback, private, link-local, shared, multicast or reserved.
 * @example isPrivateAddress('127.0.0.1') === true && isPrivateAddress('93.184.216.34') === false
 */
export function isPrivateAddress(address: string): boolean {
  const a = address.toLowerCase();
  if (isIPv4(a)) return NOT_PUBLIC.check(a, 'ipv4');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  if (mapped) return NOT_PUBLIC.check(mapped[1]!, 'ipv4');
  return NOT_PUBLIC.check(a, 'ipv6');
}

export interface NotifyOptions {
  readonly allowPrivate: boolean;
  /** Per try, in ms. */
  readonly timeoutMs?: number;
  /** Waits before the second, third... try, in ms; its length + 1 is the number of tries. */
  readonly backoffMs?: readonly number[];
}

/** What a notification came to. */
export interface NotifyOutcome {
  readonly delivered: boolean;
  readonly tries: number;
  readonly statusCode?: number;
  readonly error?: string;
}

/** The address to connect to, checked: every address the name resolves to must be public. */
async function vettedAddress(url: URL, allowPrivate: boolean): Promise<{ address: string; family: number }> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const family = isIP(host);
  const addresses =
    family !== 0 ? [{ address: host, family }] : await lookup(host, { all: true, verbatim: true });
  if (!allowPrivate) {
    const bad = addresses.find((a) => isPrivateAddress(a.address));
    if (bad) throw new NotifyRefused(`notifyUrl host ${host} is not a public address (${bad.address})`);
  }
  const first = addresses[0];
  if (!first) throw new Error(`notifyUrl host ${host} does not resolve`);
  return first;
}

/** One GET, connecting only to the vetted address, following no redirect. */
function getOnce(url: URL, to: { address: string; family: number }, timeoutMs: number): Promise<number> {
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.get(url, {
      lookup: (_host, opts, cb) => {
        if ((opts as { all?: boolean }).all) (cb as (e: null, a: unknown[]) => void)(null, [to]);
        else cb(null, to.address, to.family);
      },
      timeout: timeoutMs,
      headers: { 'user-agent': 'openaqua-notify' },
    });
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Calls a job's notifyUrl once its job has ended: `${JOBID}` and `${STATUS}` filled in, HTTP GET, tries
 * again after a network error, a timeout, 429 or 5xx. Any other answer counts as delivered (a redirect is
 * not followed). Refuses non-public targets unless `allowPrivate`.
 * @example await notifyJobEnd('https://etl.example.com/done?job=${JOBID}&s=${STATUS}', job.id, 'completed', { allowPrivate: false })
 */
export async function notifyJobEnd(
  template: string,
  jobId: string,
  status: string,
  opts: NotifyOptions,
): Promise<NotifyOutcome> {
  const url = new URL(fillNotifyUrl(template, jobId, status));
  const to = await vettedAddress(url, opts.allowPrivate);
  const backoff = opts.backoffMs ?? NOTIFY_BACKOFF_MILLIS;
  let lastError = '';
  for (let attempt = 0; attempt <= backoff.length; attempt++) {
    if (attempt > 0) await sleep(backoff[attempt - 1]!);
    try {
      const code = await getOnce(url, to, opts.timeoutMs ?? NOTIFY_TIMEOUT_MILLIS);
      if (code !== 429 && code < 500) return { delivered: true, tries: attempt + 1, statusCode: code };
      lastError = `HTTP ${code}`;
    } catch (e) {
      lastError = e instanceof Error ? e.message : String(e);
    }
  }
  return { delivered: false, tries: backoff.length + 1, error: lastError };
}
