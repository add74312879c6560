/** The base paths every AQuA route is served under: the REST one and the legacy one. */
export const PREFIXES = ['/v1', '/apps/api'] as const;

/**
 * A route path under each prefix.
 * @example underPrefixes('/describe') // ['/v1/describe', '/apps/api/describe']
 */
export function underPrefixes(path: string): string[] {
  return PREFIXES.map((p) => `${p}${path}`);
}

/** Every path a result file is downloaded from (clients use each of these). */
export const FILE_PATHS: readonly string[] = [
  ...underPrefixes('/file/:fileId'),
  ...underPrefixes('/files/:fileId'),
  ...underPrefixes('/batch-query/file/:fileId'),
];
