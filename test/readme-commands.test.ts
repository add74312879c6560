/**
 * Every shell block of README.md (```sh, ```bash, ```console) runs as written: in order, in one bash
 * session, in a fresh copy of the checkout (as a clone would be after `npm ci`), stopping at the first
 * command that fails. A failure names the block, its README line and everything it printed.
 *
 * What a test cannot do as a reader would is handled by the rules below, each printed when it applies.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { createTestDatabase, testServerUrl } from './support/postgres.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** A README command the test does not run as written, and what it does instead. */
interface Rule {
  command: string;
  instead: string;
  /** Bash run in its place. */
  run: string;
}

const RULES: Rule[] = [
  {
    command: 'npm ci',
    instead:
      'not run: the tests run after it (CI runs it on a fresh clone); the copy links the installed node_modules',
    run: 'true',
  },
  {
    command: 'npm start',
    instead:
      'run in the background on a free port (OPENAQUA_PORT) until the test ends; the test waits for its banner and exports PASSWORD, the password it prints',
    run: 'readme_npm_start',
  },
  { command: 'npm test', instead: 'not run: this test is part of it', run: 'true' },
  {
    command: 'export OPENAQUA_DATABASE_URL=postgres://aqua:secret@db.example:5432/aqua',
    instead: "exports the URL of a fresh database on the tests' PostgreSQL server instead",
    run: 'export OPENAQUA_DATABASE_URL="$READMETEST_DATABASE_URL"',
  },
  {
    command: 'npm run bench',
    instead: 'not run: minutes of timed work, which npm test never does',
    run: 'true',
  },
];

/** What the session has that a reader's shell would have too, said once. */
const SETTING = [
  'openaqua is on the PATH, as `npm link` puts it',
  'http://127.0.0.1:8080 reads http://127.0.0.1:<the free port the server listens on>',
];

interface Block {
  /** README line of the opening fence. */
  line: number;
  text: string;
}

/** The shell blocks of a Markdown text; a ```console block keeps only its `$ ` lines, unprefixed. */
function shellBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(sh|bash|console)\s*$/.exec(lines[i]!);
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]!); i++) body.push(lines[i]!);
    const text = open[1] === 'console' ? body.filter((l) => l.startsWith('$ ')).map((l) => l.slice(2)) : body;
    blocks.push({ line: start + 1, text: text.join('\n') });
  }
  return blocks;
}

/**
 * A block with its ruled commands replaced: a line made of `&&`-joined commands (a trailing comment
 * allowed) in which some command is exactly a rule's. Every other line is left as written.
 */
function applyRules(text: string, applied: Set<Rule>): string {
  return text
    .split('\n')
    .map((line) => {
      const parts = line.replace(/\s+#.*$/, '').split(' && ');
      const rules = parts.map((p) => RULES.find((r) => r.command === p.trim()));
      if (!rules.some(Boolean)) return line;
      return parts
        .map((p, i) => {
          const rule = rules[i];
          if (!rule) return p;
          applied.add(rule);
          return rule.run;
        })
        .join(' && ');
    })
    .join('\n');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The checkout as a fresh clone has it (tracked files and new ones not ignored), node_modules linked. */
function copyCheckout(to: string): void {
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: ROOT,
    encoding: 'utf8',
  })
    .split('\0')
    .filter(Boolean);
  for (const file of files) {
    const from = join(ROOT, file);
    if (!existsSync(from)) continue; // deleted in the working tree
    mkdirSync(dirname(join(to, file)), { recursive: true });
    cpSync(from, join(to, file), { verbatimSymlinks: true });
  }
  symlinkSync(join(ROOT, 'node_modules'), join(to, 'node_modules'));
}

const MARK = '@@readme-block';

// The scale-out walkthrough needs a PostgreSQL server, as a reader following it would have.
const pg = await testServerUrl();

it('runs every shell command of README.md as written', {
  timeout: 600_000,
  skip: 'skip' in pg ? pg.skip : false,
}, async (t) => {
  if ('skip' in pg) return;
  const database = createTestDatabase(pg.url);
  t.after(() => database.drop());
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const blocks = shellBlocks(readme);
  assert.ok(blocks.length > 0, 'README.md has no shell blocks');
  const walkthrough = blocks.findIndex((b) => b.text.includes('/v1/batch-query/'));
  assert.ok(walkthrough >= 0, 'README.md has no curl walkthrough');

  const work = mkdtempSync(join(tmpdir(), 'openaqua-readme-'));
  const clone = join(work, 'openaqua');
  const bin = join(work, 'bin');
  copyCheckout(clone);
  mkdirSync(bin);
  symlinkSync(join(clone, 'bin', 'openaqua.js'), join(bin, 'openaqua'));
  const port = await freePort();

  const applied = new Set<Rule>();
  const script = [
    'set -e',
    'exec 2>&1',
    'readme_npm_start() {',
    `  OPENAQUA_PORT=${port} npm start > "$READMETEST_LOG" 2>&1 &`,
    '  for _ in $(seq 1200); do grep -q "cannot be shown again" "$READMETEST_LOG" && break; sleep 0.1; done',
    '  grep -q "cannot be shown again" "$READMETEST_LOG" || { cat "$READMETEST_LOG"; return 1; }',
    '  PASSWORD=$(sed -n "s/^  password: *//p" "$READMETEST_LOG")',
    '  export PASSWORD',
    '}',
    ...blocks.flatMap((b, i) => [
      `echo "${MARK} ${i}@@"`,
      applyRules(b.text, applied).replaceAll('127.0.0.1:8080', `127.0.0.1:${port}`),
    ]),
    `echo "${MARK} end@@"`,
  ].join('\n');

  for (const s of SETTING) t.diagnostic(`setting: ${s}`);
  for (const r of RULES) {
    assert.ok(applied.has(r), `the rule for \`${r.command}\` matches no README command: remove it`);
    t.diagnostic(`\`${r.command}\`: ${r.instead}`);
  }

  // A reader's shell: no settings of this run (OPENAQUA_*, npm's own variables).
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.startsWith('OPENAQUA_') && !k.startsWith('npm_')) env[k] = v;
  }
  env.PATH = `${bin}:${process.env.PATH}`;
  env.READMETEST_LOG = join(work, 'server.log');
  env.READMETEST_DATABASE_URL = database.url;

  // Its own process group, so that the server `npm start` leaves running stops with it.
  const bash = spawn('bash', ['-c', script], {
    cwd: clone,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  bash.stdout.on('data', (d) => {
    out += d;
  });
  bash.stderr.on('data', (d) => {
    out += d;
  });
  const group = bash.pid!;
  const stopGroup = async () => {
    try {
      process.kill(-group, 'SIGTERM');
    } catch {
      return; // already gone
    }
    for (let i = 0; i < 200; i++) {
      try {
        process.kill(-group, 0);
      } catch {
        return;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    process.kill(-group, 'SIGKILL');
  };
  const BLOCK_TIMEOUT_MS = 240_000;
  let code: number | null;
  try {
    code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => resolve(null), BLOCK_TIMEOUT_MS);
      bash.once('exit', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
  } finally {
    await stopGroup();
  }

  try {
    // The output of each block, by its marker.
    const parts = out.split(new RegExp(`^${MARK} (\\d+|end)@@\\n`, 'm'));
    const outputs = new Map<string, string>();
    for (let i = 1; i < parts.length; i += 2) outputs.set(parts[i]!, parts[i + 1] ?? '');
    if (code !== 0 || !outputs.has('end')) {
      const last = [...outputs.keys()].filter((k) => k !== 'end').at(-1);
      const block = last === undefined ? undefined : blocks[Number(last)];
      const why =
        code === null ? `did not finish in ${BLOCK_TIMEOUT_MS / 1000} s` : `failed (exit status ${code})`;
      const log = existsSync(env.READMETEST_LOG) ? readFileSync(env.READMETEST_LOG, 'utf8') : '(none)';
      assert.fail(
        `${
          block
            ? `README.md block at line ${block.line} ${why}:\n${block.text}\n--- its output ---\n${outputs.get(last!)}`
            : `the README commands ${why} before the first block:\n${out}`
        }\n--- the log of npm start ---\n${log}`,
      );
    }

    // What the walkthrough and the client commands promise, beyond exiting 0.
    // The first job's download: `head` of its CSV, whose header names the four fields queried.
    const header = /^Invoice: ID,.*$/m.exec(outputs.get(String(walkthrough)) ?? '')?.[0];
    assert.equal(
      header,
      'Invoice: ID,Invoice: Amount,Account: Name,Bill To: Country',
      outputs.get(String(walkthrough)),
    );
    // `openaqua export` wrote the accounts of the demo tenant.
    const exported = parse(readFileSync(join(clone, 'out', 'accounts.csv'))) as string[][];
    assert.equal(exported[0]!.length, 3, String(exported[0]));
    assert.equal(exported.length - 1, 200, 'the demo tenant has 200 accounts');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
