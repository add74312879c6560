import { RequestError } from '../errors.ts';
import { zonedToEpoch } from '../time/zone.ts';

const INCREMENTAL_TIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/;

/**
 * Reads `incrementalTime` (`YYYY-MM-DD HH:mm:ss`, wall-clock time in the tenant zone) as epoch ms;
 * undefined when it is not such a time (the caller answers 90015).
 * @example parseIncrementalTime('2024-01-01 00:00:00', 'America/Los_Angeles') === Date.UTC(2024, 0, 1, 8)
 */
export function parseIncrementalTime(v: unknown, zone: string): number | undefined {
  if (typeof v !== 'string') return undefined;
  const m = INCREMENTAL_TIME.exec(v.trim());
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const daysInMonth = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth || h > 23 || mi > 59 || s > 59) return undefined;
  return zonedToEpoch(y, mo, d, h, mi, s, zone);
}

const JOB_ID_PLACEHOLDER = '$' + '{JOBID}';
const STATUS_PLACEHOLDER = '$' + '{STATUS}';

/** Fills `${JOBID}` and `${STATUS}` of a notifyUrl. */
export function fillNotifyUrl(template: string, jobId: string, status: string): string {
  return template.replaceAll(JOB_ID_PLACEHOLDER, jobId).replaceAll(STATUS_PLACEHOLDER, status);
}

/** Checks that a notifyUrl is an absolute http(s) URL once its placeholders are filled. */
export function checkNotifyUrl(template: string): void {
  let url: URL;
  try {
    url = new URL(fillNotifyUrl(template, '0'.repeat(32), 'completed'));
  } catch {
    throw new RequestError(`notifyUrl must be an absolute http or https URL, not '${template}'`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new RequestError(`notifyUrl must be an http or https URL, not '${template}'`);
  }
}

let currencies: ReadonlySet<string> | undefined;

/**
 * The first code of a convertToCurrencies list that is not an ISO 4217 currency, if any.
 * @example invalidCurrency(['USD', 'EUR', 'XYZ1']) === 'XYZ1'
 */
export function invalidCurrency(codes: readonly string[]): string | undefined {
  currencies ??= new Set(Intl.supportedValuesOf('currency'));
  return codes.find((c) => !/^[A-Za-z]{3}$/.test(c) || !currencies?.has(c.toUpperCase()));
}
