/**
 * The test suite on both stores: every test file on the embedded SQLite store, then every file that opens
 * a store (imports test/support/location.ts, directly or through a fixture) again on PostgreSQL.
 *
 *   node --import tsx tools/run-tests.ts [test files...]
 *
 * PostgreSQL: `OPENAQUA_TEST_DATABASE_URL` names a server; otherwise one throwaway cluster is started for
 * the whole run (test/support/postgres.ts). Where PostgreSQL is not installed the second pass is skipped
 * with one line saying so, unless `OPENAQUA_REQUIRE_PG=1` (then that is a failure).
 * Exit status: 0 when every pass passed.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { testServerUrl } from '../test/support/postgres.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const LOCATION_MODULE = resolve(root, 'test/support/location.ts');

function testFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...testFiles(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out.sort();
}

const IMPORT =
  /(?:^|\s)(?:import|export)\s[^'"]*?from\s+['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

/** Whether `file` reaches test/support/location.ts through relative imports under test/. */
function opensStore(file: string, seen = new Set<string>()): boolean {
  if (file === LOCATION_MODULE) return true;
  if (seen.has(file) || !file.startsWith(join(root, 'test'))) return false;
  seen.add(file);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return false;
  }
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2];
    if (spec && opensStore(resolve(dirname(file), spec), seen)) return true;
  }
  return false;
}

function run(store: string, files: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  console.log(`\n# ${files.length} test files on ${store}`);
  const args = ['--import', 'tsx', '--test', '--test-concurrency=2', ...files.map((f) => relative(root, f))];
  const child = spawn(process.execPath, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...env, OPENAQUA_TEST_STORE: store },
  });
  return new Promise((done) => child.on('exit', (code, signal) => done(signal ? 1 : (code ?? 1))));
}

const given = process.argv.slice(2).map((f) => resolve(f));
const files = given.length > 0 ? given : testFiles(join(root, 'test'));
const results: [string, number][] = [['sqlite', await run('sqlite', files, {})]];

const storeFiles = files.filter((f) => opensStore(f));
const pg = await testServerUrl();
if ('skip' in pg) console.log(`\n# ${pg.skip}`);
else if (storeFiles.length > 0)
  results.push(['postgres', await run('postgres', storeFiles, { OPENAQUA_TEST_DATABASE_URL: pg.url })]);

console.log('');
for (const [store, code] of results) console.log(`# ${store}: ${code === 0 ? 'passed' : 'FAILED'}`);
process.exit(results.every(([, code]) => code === 0) ? 0 : 1);
