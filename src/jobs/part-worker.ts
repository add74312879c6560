import { parentPort, workerData } from 'node:worker_threads';
import { deflatedFileSink, syncFileSink, writePart } from '../export/index.ts';
import { lowerThreadPriority } from './nice.ts';
import type { FromPart, PartTask, ToPart } from './part-protocol.ts';
import { StoreCache } from './store-cache.ts';
import type { WorkerStores } from './worker-protocol.ts';

/**
 * A part thread: renders one range of a large export at a time (part-protocol.ts), in a snapshot it
 * checks is the job's, to a file the job worker adds to the result after the rows before it.
 */
const port = parentPort;
if (!port) throw new Error('part-worker.ts runs as a worker thread');
lowerThreadPriority();
const { location } = workerData as WorkerStores;
const stores = new StoreCache(location);

function post(msg: FromPart): void {
  port!.postMessage(msg);
}

async function run(id: number, task: PartTask): Promise<void> {
  await stores.reader(task.tenant).snapshot(async (snap) => {
    if (snap.seq !== task.seq) {
      post({ type: 'stale', id });
      return;
    }
    post({ type: 'ready', id });
    const deflated = task.mode === 'deflate' ? deflatedFileSink(task.path) : undefined;
    const { rows } = await writePart({
      rows: snap.rows(task.query),
      types: task.types,
      options: task.options,
      sink: deflated ?? syncFileSink(task.path),
    });
    post({ type: 'done', id, written: { rows, ...deflated?.piece() } });
  });
}

port.on('message', (msg: ToPart) => {
  if (msg.type === 'close') {
    stores.closeAll().finally(() => port.close());
    return;
  }
  run(msg.id, msg.task).catch((e: unknown) =>
    post({ type: 'failed', id: msg.id, message: e instanceof Error ? e.message : String(e) }),
  );
});
