import type { JobJson } from './http.ts';

const BAR_WIDTH = 24;

/** Where progress goes: a terminal gets one redrawn line, anything else a plain line per change. */
export interface ProgressOut {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

/**
 * Shows a job's progress while it is polled. On a terminal one line is redrawn
 * (`[#######.........] 1/3 batches · invoices executing · 4.2 s`); otherwise a line is written each time
 * a batch changes status (`invoices: completed, 1250 records`).
 * @example const p = new JobProgress(process.stderr); p.update(job, 4.2); p.done();
 */
export class JobProgress {
  private readonly seen = new Map<string, string>();
  private drawn = false;

  constructor(private readonly out: ProgressOut) {}

  /** Shows the job as polled, `seconds` after it was submitted. */
  update(job: JobJson, seconds: number): void {
    if (this.out.isTTY) this.redraw(job, seconds);
    else this.lines(job);
  }

  private redraw(job: JobJson, seconds: number): void {
    const total = job.batches.length;
    const finished = job.batches.filter((b) => b.status !== 'pending' && b.status !== 'executing').length;
    const filled = total === 0 ? BAR_WIDTH : Math.round((finished / total) * BAR_WIDTH);
    const current = job.batches.find((b) => b.status === 'executing');
    const doing = current ? ` · ${current.name} executing` : ` · ${job.status}`;
    const bar = `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}]`;
    this.out.write(`\r\x1b[2K${bar} ${finished}/${total} batches${doing} · ${seconds.toFixed(1)} s`);
    this.drawn = true;
  }

  private lines(job: JobJson): void {
    for (const b of job.batches) {
      const key = b.batchId ?? b.name;
      if (this.seen.get(key) === b.status) continue;
      if (!this.seen.has(key) && b.status === 'pending') {
        this.seen.set(key, b.status);
        continue;
      }
      this.seen.set(key, b.status);
      const records = b.status === 'completed' ? `, ${b.recordCount} records` : '';
      const message = b.message ? ` (${b.message})` : '';
      this.out.write(`${b.name}: ${b.status}${records}${message}\n`);
    }
  }

  /** Ends a redrawn line, so what follows starts on a line of its own. */
  done(): void {
    if (this.drawn) this.out.write('\n');
    this.drawn = false;
  }
}
