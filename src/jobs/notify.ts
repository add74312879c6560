import { lookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { BlockList, isIP, isIPv4, isIPv6 } from 'node:net';
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
  ['100::', 64],
  ['2001::', 32],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const) {
  NOT_PUBLIC.addSubnet(net, prefix, 'ipv6');
}

/** 16-bit groups of an IPv6 address (`::` expanded, a dotted IPv4 tail read as two groups). */
function ipv6Groups(address: string): number[] | undefined {
  let a = address;
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(a);
  if (dotted) {
    const [b0, b1, b2, b3] = dotted.slice(1).map(Number) as [number, number, number, number];
    a = `${a.slice(0, dotted.index)}${((b0 << 8) | b1).toString(16)}:${((b2 << 8) | b3).toString(16)}`;
  }
  const [head, tail] = a.split('::') as [string, string | undefined];
  const part = (s: string | undefined) => (s ? s.split(':').map((g) => Number.parseInt(g, 16)) : []);
  const h = part(head);
  const t = part(tail);
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill(0), ...t];
  return groups.length === 8 && groups.every((g) => g >= 0 && g <= 0xffff) ? groups : undefined;
}

/**
 * The IPv4 address an IPv6 address stands for, where the IPv6 form only carries one: IPv4-mapped and
 * -compatible (`::ffff:a.b.c.d`, `::a.b.c.d`), SIIT (`::ffff:0:a.b.c.d`), NAT64 (`64:ff9b::/96`,
 * `64:ff9b:1::/48`) and 6to4 (`2002:AABB:CCDD::`). A translator or relay would carry a call to it.
 */
function embeddedIpv4(address: string): string | undefined {
  const g = ipv6Groups(address);
  if (!g) return undefined;
  const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
  const zeros = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  if (g[0] === 0x2002) return v4(g[1]!, g[2]!);
  if (zeros(0, 5) && (g[5] === 0 || g[5] === 0xffff)) return v4(g[6]!, g[7]!);
  if (zeros(0, 4) && g[4] === 0xffff && g[5] === 0) return v4(g[6]!, g[7]!);
  if (g[0] === 0x64 && g[1] === 0xff9b && (zeros(2, 6) || g[2] === 1)) return v4(g[6]!, g[7]!);
  return undefined;
}

/**
 * Whether an address is loopback, private, link-local, shared, multicast or reserved, also when an IPv6
 * address carries such an IPv4 address (mapped, NAT64, 6to4). Anything that is not an IP address is.
 * @example isPrivateAddress('127.0.0.1') === true && isPrivateAddress('93.184.216.34') === false
 */
export function isPrivateAddress(address: string): boolean {
  const a = address.toLowerCase();
  if (isIPv4(a)) return NOT_PUBLIC.check(a, 'ipv4');
  if (!isIPv6(a)) return true;
  const v4 = embeddedIpv4(a);
  return NOT_PUBLIC.check(a, 'ipv6') || (v4 !== undefined && NOT_PUBLIC.check(v4, 'ipv4'));
}

export interface NotifyOptions {
  readonly allowPrivate: boolean;
  /** Per try, in ms. */
  readonly timeoutMs?: number;
  /** Waits before the second, third... try, in ms; its length + 1 is the number of tries. */
  readonly backoffMs?: readonly number[];
  /** Resolves a host name to its addresses (default: the system resolver); given the timeout too. */
  readonly resolve?: (host: string) => Promise<readonly ResolvedAddress[]>;
}

/** One address a host name resolves to. */
export interface ResolvedAddress {
  readonly address: string;
  readonly family: number;
}

/** What a notification came to. */
export interface NotifyOutcome {
  readonly delivered: boolean;
  readonly tries: number;
  readonly statusCode?: number;
  readonly error?: string;
}

const systemResolve = (host: string): Promise<readonly ResolvedAddress[]> =>
  lookup(host, { all: true, verbatim: true });

/** `work`, or a rejection naming `what` once `ms` have passed. */
function within<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/**
 * The address to connect to, checked: every address the name resolves to must be public. The name is
 * resolved once per notification and every try connects to this address, so a name cannot pass the check
 * with one answer and be called at another.
 */
async function vettedAddress(url: URL, opts: NotifyOptions, timeoutMs: number): Promise<ResolvedAddress> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const family = isIP(host);
  const addresses =
    family !== 0
      ? [{ address: host, family }]
      : await within((opts.resolve ?? systemResolve)(host), timeoutMs, `notifyUrl host ${host}`);
  if (!opts.allowPrivate) {
    const bad = addresses.find((a) => isPrivateAddress(a.address));
    if (bad) throw new NotifyRefused(`notifyUrl host ${host} is not a public address (${bad.address})`);
  }
  const first = addresses[0];
  if (!first) throw new Error(`notifyUrl host ${host} does not resolve`);
  return first;
}

/**
 * One GET, connecting only to the vetted address, following no redirect. The whole try, from connecting
 * to the status line and headers, has `timeoutMs`; the body is not read (only the status counts).
 */
function getOnce(url: URL, to: ResolvedAddress, timeoutMs: number): Promise<number> {
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.get(url, {
      lookup: (_host, opts, cb) => {
        if ((opts as { all?: boolean }).all) (cb as (e: null, a: unknown[]) => void)(null, [to]);
        else cb(null, to.address, to.family);
      },
      headers: { 'user-agent': 'openaqua-notify' },
    });
    const timer = setTimeout(() => req.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    req.on('response', (res) => {
      clearTimeout(timer);
      resolve(res.statusCode ?? 0);
      req.destroy();
    });
    req.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Calls a job's notifyUrl once its job has ended: `${JOBID}` and `${STATUS}` filled in, HTTP GET, tries
 * again after a network error, a timeout, 429 or 5xx. Any other answer counts as delivered (a redirect is
 * not followed: its target was never checked). Refuses non-public targets, after DNS resolution, unless
 * `allowPrivate`. Each try and the name lookup are bounded by `timeoutMs`.
 * @example await notifyJobEnd('https://etl.example.com/done?job=${JOBID}&s=${STATUS}', job.id, 'completed', { allowPrivate: false })
 */
export async function notifyJobEnd(
  template: string,
  jobId: string,
  status: string,
  opts: NotifyOptions,
): Promise<NotifyOutcome> {
  const url = new URL(fillNotifyUrl(template, jobId, status));
  const timeoutMs = opts.timeoutMs ?? NOTIFY_TIMEOUT_MILLIS;
  const to = await vettedAddress(url, opts, timeoutMs);
  const backoff = opts.backoffMs ?? NOTIFY_BACKOFF_MILLIS;
  let lastError = '';
  for (let attempt = 0; attempt <= backoff.length; attempt++) {
    if (attempt > 0) await sleep(backoff[attempt - 1]!);
    try {
      const code = await getOnce(url, to, timeoutMs);
      if (code !== 429 && code < 500) return { delivered: true, tries: attempt + 1, statusCode: code };
      lastError = `HTTP ${code}`;
    } catch (e) {
      lastError = e instanceof Error ? e.message : String(e);
    }
  }
  return { delivered: false, tries: backoff.length + 1, error: lastError };
}
