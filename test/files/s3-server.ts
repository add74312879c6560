import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, request } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** A request the server received: method, path (bucket and key) and query. */
export interface S3Request {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
}

/** An S3-compatible server for tests, on free ports of 127.0.0.1, backed by a temp directory. */
export interface TestS3 {
  readonly endpoint: string;
  readonly bucket: string;
  readonly region: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** Every request received so far, in order. */
  readonly requests: S3Request[];
  /** Requests for which `refuse` is true are answered 403 AccessDenied instead of being served. */
  refuse: (req: S3Request) => boolean;
  /** Stops the server and removes its directory. */
  close(): Promise<void>;
}

function describe(req: IncomingMessage): S3Request {
  const url = new URL(req.url ?? '/', 'http://s3.test');
  return { method: req.method ?? 'GET', path: decodeURIComponent(url.pathname), query: url.searchParams };
}

/**
 * Runs s3rver in a child process: its continuation tokens (truncated ListObjectsV2 pages) are DES
 * ciphertexts, and Node's OpenSSL 3 offers DES only with the legacy provider. The child reports its port
 * on stdout and stops when its stdin closes (also when the test process dies).
 */
const CHILD = `
const S3rver = require(process.env.S3RVER_MODULE);
const options = JSON.parse(process.env.S3RVER_OPTIONS);
const server = new S3rver({ ...options, address: '127.0.0.1', port: 0, silent: true });
server.run().then(
  (address) => process.stdout.write(JSON.stringify({ port: address.port }) + '\\n'),
  (err) => { console.error(err); process.exit(1); },
);
process.stdin.on('end', () => {
  server.httpServer.closeAllConnections();
  server.close().finally(() => process.exit(0));
});
process.stdin.resume();
`;

async function runBackend(directory: string, bucket: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['--openssl-legacy-provider', '-e', CHILD], {
    env: {
      ...process.env,
      NODE_OPTIONS: '',
      S3RVER_MODULE: createRequire(import.meta.url).resolve('s3rver'),
      S3RVER_OPTIONS: JSON.stringify({ directory, configureBuckets: [{ name: bucket }] }),
    },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const first = await Promise.race([
    once(lines, 'line').then(([line]) => line as string),
    once(child, 'exit').then(([code]) => {
      throw new Error(`s3rver exited with code ${code} before listening`);
    }),
  ]);
  lines.close();
  return { child, port: (JSON.parse(first) as { port: number }).port };
}

/**
 * Starts s3rver with one bucket (`bucket`, default 'openaqua-test') behind a small recording proxy, so a
 * test can see which requests a client made and make chosen ones fail.
 * @example
 * const s3 = await startS3();
 * const files = new S3FileStore({ ...s3, prefix: 'results', localTempDir });
 * await s3.close();
 */
export async function startS3(bucket = 'openaqua-test'): Promise<TestS3> {
  const directory = mkdtempSync(join(tmpdir(), 'openaqua-s3-'));
  let backend: ChildProcess;
  let backendPort: number;
  try {
    ({ child: backend, port: backendPort } = await runBackend(directory, bucket));
  } catch (e) {
    rmSync(directory, { recursive: true, force: true });
    throw e;
  }
  const requests: S3Request[] = [];
  const s3 = {
    refuse: (_req: S3Request) => false,
  };
  const front = createServer((req, res) => {
    const seen = describe(req);
    requests.push(seen);
    if (s3.refuse(seen)) {
      req.resume();
      req.on('end', () => {
        res.writeHead(403, { 'content-type': 'application/xml' });
        res.end(
          '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>',
        );
      });
      return;
    }
    // Headers pass unchanged (the Host header is part of the request's signature).
    const forward = request(
      { host: '127.0.0.1', port: backendPort, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  try {
    await new Promise<void>((resolve, reject) => {
      front.once('error', reject);
      front.listen(0, '127.0.0.1', resolve);
    });
  } catch (e) {
    backend.stdin?.end();
    rmSync(directory, { recursive: true, force: true });
    throw e;
  }
  const { port } = front.address() as AddressInfo;
  return Object.assign(s3, {
    endpoint: `http://127.0.0.1:${port}`,
    bucket,
    region: 'us-east-1',
    // s3rver's built-in account.
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    requests,
    async close() {
      try {
        const frontClosed = new Promise((resolve) => front.close(resolve));
        front.closeAllConnections();
        await frontClosed;
        if (backend.exitCode === null) {
          const exited = once(backend, 'exit');
          backend.stdin?.end();
          const kill = setTimeout(() => backend.kill('SIGKILL'), 10_000);
          await exited;
          clearTimeout(kill);
        }
      } finally {
        rmSync(directory, { recursive: true, force: true });
      }
    },
  });
}
