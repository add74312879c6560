/** What every answer to a hostile request must look like: a 4xx (or an AQuA body), JSON, no internals. */
import assert from 'node:assert/strict';
import type { Answer } from '../ratelimit/server.ts';

/** Text that would betray internals: a stack frame, a source path, a framework error code. */
const INTERNALS = /\bat \S+ \(|\.ts:\d+|\.js:\d+|node_modules|FST_ERR|\bstack\b/;

/** Parses an answer's JSON body after checking it is JSON and shows nothing of the server's insides. */
export function cleanJson(a: Answer, what: string): Record<string, unknown> {
  assert.notEqual(a.status, 500, what);
  assert.ok(a.status < 500, `${what}: status ${a.status}`);
  assert.match(String(a.headers['content-type']), /^application\/json/, what);
  assert.doesNotMatch(a.text, INTERNALS, what);
  return JSON.parse(a.text) as Record<string, unknown>;
}

/** The HTTP 400 body of a request that is not AQuA-shaped. */
export function malformed(message: string): Record<string, unknown> {
  return { success: false, code: 50000090, message };
}
