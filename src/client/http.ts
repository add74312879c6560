import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';

/** How the client signs in: a user and password (HTTP Basic) or OAuth client credentials. */
export type Credentials = { user: string; password: string } | { clientId: string; clientSecret: string };

/** A mistake in what was asked (a bad job, bad credentials, an unknown id): exit status 2. */
export class ClientInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClientInputError';
  }
}

/** A job as the server answers it (the AQuA job JSON). */
export interface JobJson {
  id?: string;
  name?: string;
  status: string;
  format?: string;
  encrypted?: string;
  startTime?: string;
  errorCode?: string;
  message?: string;
  batches: BatchJson[];
  [key: string]: unknown;
}

export interface BatchJson {
  batchId?: string;
  name: string;
  status: string;
  recordCount: number;
  message?: string;
  fileId?: string;
  segments?: string[];
}

function errorText(job: JobJson): string {
  const detail = job.batches
    .filter((b) => b.message)
    .map((b) => `\n  ${b.name}: ${b.message}`)
    .join('');
  return `${job.errorCode ?? 'error'}: ${job.message ?? 'the server refused the job'}${detail}`;
}

/**
 * A small AQuA client over HTTP: submit, get, cancel, list and download.
 * @example
 * const client = new AquaClient('http://127.0.0.1:8080', { user: 'demo', password: 'secret' });
 * const job = await client.submit({ queries: [{ query: 'select Id from Account', type: 'zoqlexport' }] });
 * await client.download((await client.get(job.id!)).batches[0]!.fileId!, './accounts.csv');
 */
export class AquaClient {
  private readonly base: string;
  private authorization: string | undefined;

  constructor(
    url: string,
    private readonly credentials: Credentials,
  ) {
    this.base = url.replace(/\/+$/, '');
  }

  private async auth(): Promise<string> {
    if (this.authorization) return this.authorization;
    const c = this.credentials;
    if ('user' in c) {
      this.authorization = `Basic ${Buffer.from(`${c.user}:${c.password}`).toString('base64')}`;
      return this.authorization;
    }
    const res = await fetch(`${this.base}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: c.clientId,
        client_secret: c.clientSecret,
      }).toString(),
    });
    const body = (await res.json().catch(() => ({}))) as { access_token?: string };
    if (!res.ok || !body.access_token)
      throw new ClientInputError(`OAuth sign-in refused (HTTP ${res.status})`);
    this.authorization = `Bearer ${body.access_token}`;
    return this.authorization;
  }

  private async request(method: string, path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = { authorization: await this.auth() };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    if (res.status >= 400 && res.status < 500) {
      const text = await res.text();
      let message = text;
      try {
        message = String((JSON.parse(text) as { message?: unknown }).message ?? text);
      } catch {}
      throw new ClientInputError(`HTTP ${res.status} on ${method} ${path}: ${message}`);
    }
    if (!res.ok) throw new Error(`HTTP ${res.status} on ${method} ${path}`);
    return res;
  }

  private async job(method: string, path: string, body?: unknown): Promise<JobJson> {
    const job = (await (await this.request(method, path, body)).json()) as JobJson;
    if (job.status === 'error') throw new ClientInputError(errorText(job));
    return job;
  }

  /** Submits a job; an AQuA error answer (bad query, too many jobs) throws ClientInputError. */
  submit(body: unknown): Promise<JobJson> {
    return this.job('POST', '/v1/batch-query/', body);
  }

  /** A job's status and results. */
  get(id: string): Promise<JobJson> {
    return this.job('GET', `/v1/batch-query/jobs/${encodeURIComponent(id)}`);
  }

  /** Cancels a job that has not finished. */
  cancel(id: string): Promise<JobJson> {
    return this.job('DELETE', `/v1/batch-query/jobs/${encodeURIComponent(id)}`);
  }

  /** Recent jobs, newest first (openaqua's `GET /v1/batch-query/jobs`). */
  async list(
    filter: Record<string, string | undefined>,
  ): Promise<(JobJson & { startedAt: number | null; finishedAt: number | null })[]> {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(filter)) if (v !== undefined) q.set(k, v);
    const qs = q.size > 0 ? `?${q}` : '';
    const body = (await (await this.request('GET', `/v1/batch-query/jobs${qs}`)).json()) as { jobs: [] };
    return body.jobs;
  }

  /** Streams a result file to `path`; returns its size in bytes. */
  async download(fileId: string, path: string): Promise<number> {
    const res = await this.request('GET', `/v1/file/${encodeURIComponent(fileId)}`);
    if (!res.body) throw new Error(`file ${fileId} has no body`);
    let bytes = 0;
    const counted = Readable.fromWeb(res.body as WebReadableStream<Uint8Array>).on('data', (c: Buffer) => {
      bytes += c.length;
    });
    await pipeline(counted, createWriteStream(path));
    return bytes;
  }
}
