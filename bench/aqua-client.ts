/** A minimal AQuA client over `node:http` (keep-alive): submit a job, poll it, download its file. */
import { createWriteStream } from 'node:fs';
import http from 'node:http';
import { pipeline } from 'node:stream/promises';

export type AquaFormat = 'csv' | 'gzip' | 'zip';

export interface AquaBatch {
  status: string;
  name?: string;
  message?: string;
  recordCount?: number;
  fileId?: string;
  segments?: string[];
}

export interface AquaJob {
  id?: string;
  status: string;
  errorCode?: string;
  message?: string;
  batches?: AquaBatch[];
}

const FINISHED = new Set(['completed', 'aborted', 'cancelled', 'error']);

export class AquaClient {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  private auth: string;

  /** A client authenticating every request with HTTP Basic (user name and password). */
  constructor(
    readonly baseUrl: string,
    username: string,
    password: string,
  ) {
    this.auth = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  }

  /** Switches to `Authorization: Bearer` with a token from `POST /oauth/token` (client credentials). */
  async useOAuth(clientId: string, clientSecret: string): Promise<void> {
    const { status, text } = await this.request('POST', '/oauth/token', {
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: clientSecret,
    });
    if (status !== 200) throw new Error(`POST /oauth/token: HTTP ${status}: ${text.slice(0, 300)}`);
    this.auth = `Bearer ${(JSON.parse(text) as { access_token: string }).access_token}`;
  }

  close(): void {
    this.agent.destroy();
  }

  /** One request; resolves with the status code and the body as text. */
  request(method: string, path: string, body?: unknown): Promise<{ status: number; text: string }> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const req = http.request(
        new URL(path, this.baseUrl),
        {
          method,
          agent: this.agent,
          headers: {
            authorization: this.auth,
            accept: 'application/json',
            ...(payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  private async json(method: string, path: string, body?: unknown): Promise<AquaJob> {
    const { status, text } = await this.request(method, path, body);
    if (status !== 200) throw new Error(`${method} ${path}: HTTP ${status}: ${text.slice(0, 300)}`);
    return JSON.parse(text) as AquaJob;
  }

  /** Submits one Export ZOQL query as a stateless 1.1 job with API-name headers. */
  async submit(format: AquaFormat, name: string, query: string): Promise<AquaJob> {
    const job = await this.json('POST', '/v1/batch-query/', {
      format,
      version: '1.1',
      useQueryLabels: true,
      queries: [{ name, query, type: 'zoqlexport' }],
    });
    if (job.status === 'error' || !job.id) {
      throw new Error(`submit refused: ${job.errorCode ?? ''} ${job.message ?? ''} ${describeBatches(job)}`);
    }
    return job;
  }

  getJob(id: string): Promise<AquaJob> {
    return this.json('GET', `/v1/batch-query/jobs/${id}`);
  }

  /** Polls until the job has finished; throws unless it completed. */
  async waitCompleted(id: string, pollMs: number, timeoutMs: number): Promise<AquaJob> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const job = await this.getJob(id);
      if (FINISHED.has(job.status)) {
        if (job.status !== 'completed')
          throw new Error(`job ${job.status}: ${job.message ?? ''} ${describeBatches(job)}`);
        return job;
      }
      if (performance.now() > deadline)
        throw new Error(`job still ${job.status} after ${timeoutMs / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }

  /** Streams a result file to disk; resolves with its size in bytes. */
  download(fileId: string, outFile: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const req = http.get(
        new URL(`/v1/file/${fileId}`, this.baseUrl),
        { agent: this.agent, headers: { authorization: this.auth } },
        (res) => {
          if (res.statusCode !== 200) {
            res.resume();
            reject(new Error(`GET /v1/file/${fileId}: HTTP ${res.statusCode}`));
            return;
          }
          let bytes = 0;
          res.on('data', (c: Buffer) => {
            bytes += c.length;
          });
          pipeline(res, createWriteStream(outFile, { highWaterMark: 1 << 20 })).then(
            () => resolve(bytes),
            reject,
          );
        },
      );
      req.on('error', reject);
    });
  }
}

export function describeBatches(job: AquaJob): string {
  return (job.batches ?? [])
    .map((b) => `[batch ${b.name ?? ''} ${b.status}${b.message ? `: ${b.message}` : ''}]`)
    .join(' ');
}
