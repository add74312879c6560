#!/usr/bin/env node
// The `openaqua` command. It runs the compiled build (dist/, made by `npm run build`) when no source file
// changed since that build started, and otherwise the TypeScript sources through tsx: an edit to src/
// takes effect at once, and a build older than the sources is never run.
import { readdirSync, statSync } from 'node:fs';

const root = new URL('../', import.meta.url);
/** Written by `npm run build` just before it compiles; the build is complete once main.js is newer. */
const buildStart = new URL('dist/.build-start', root);
const built = new URL('dist/src/cli/main.js', root);

function mtime(url) {
  try {
    return statSync(url).mtimeMs;
  } catch {
    return undefined;
  }
}

/** Whether some file under src/ was modified at or after `since` (a missing src/ has none). */
function sourcesChangedSince(since) {
  let entries;
  try {
    entries = readdirSync(new URL('src/', root), { recursive: true, withFileTypes: true });
  } catch (e) {
    return e.code !== 'ENOENT';
  }
  for (const entry of entries) {
    if (entry.isFile() && statSync(`${entry.parentPath}/${entry.name}`).mtimeMs >= since) return true;
  }
  return false;
}

function buildIsCurrent() {
  const started = mtime(buildStart);
  const finished = mtime(built);
  if (started === undefined || finished === undefined || finished < started) return false;
  return !sourcesChangedSince(started);
}

if (buildIsCurrent()) {
  await import(built.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('src/cli/main.ts', root).href);
}
