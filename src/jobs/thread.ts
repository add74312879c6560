import { Worker } from 'node:worker_threads';
import { WORKER_YOUNG_GENERATION_MB } from '../limits.ts';

/**
 * Starts a thread running the module `name` of this directory (`./worker`, `./part-worker`). From
 * source (`.ts`), the thread first registers tsx's loader: on Node 20 a worker given
 * `execArgv: ['--import', 'tsx']` still cannot load a `.ts` entry point.
 * @example const thread = spawnThread('part-worker', { location });
 */
export function spawnThread(name: string, workerData: unknown): Worker {
  const fromSource = import.meta.url.endsWith('.ts');
  const entry = new URL(`./${name}${fromSource ? '.ts' : '.js'}`, import.meta.url).href;
  // A small young generation keeps an export's short-lived strings from growing the thread's heap.
  const resourceLimits = { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB };
  if (!fromSource) return new Worker(new URL(entry), { workerData, resourceLimits });
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(boot, { eval: true, workerData, resourceLimits });
}
