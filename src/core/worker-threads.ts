// Starts one of the engine's worker threads: the bundled file next to the built app, or the
// TypeScript entry through tsx when running from source (tests, benches).
import fs from 'node:fs';
import path from 'node:path';
import { type ResourceLimits, Worker } from 'node:worker_threads';

export interface WorkerEntry {
  /** `__dirname` of the module that owns the entry: where its source sits when run from source. */
  dir: string;
  /** The entry's TypeScript file name, in `dir`. */
  source: string;
  /** The bundle's file name, as the build names it (electron.vite.config.ts). */
  bundle: string;
}

export function startWorker(entry: WorkerEntry, workerData: unknown, resourceLimits?: ResourceLimits): Worker {
  const source = path.join(entry.dir, entry.source);
  if (fs.existsSync(source) && !fs.existsSync(path.join(entry.dir, entry.bundle))) {
    const code = `require('tsx/cjs/api').register(); require(${JSON.stringify(source)});`;
    return new Worker(code, { eval: true, workerData, resourceLimits });
  }
  // Shared chunks of the bundle may sit one folder below the entry files.
  const bundle = [entry.dir, path.dirname(entry.dir)].map((dir) => path.join(dir, entry.bundle)).find((file) => fs.existsSync(file));
  if (!bundle) throw new Error(`A worker (${entry.bundle}) is missing next to ${entry.dir}; rebuild with npm run build`);
  return new Worker(bundle, { workerData, resourceLimits });
}

/**
 * Sends a worker 'close' (it ends its own work) and resolves once it has exited, ending it
 * after two seconds if it has not. Referenced (worker and timer) until then: an unreferenced
 * wait would let the process end with the caller's close never settled.
 */
export async function stopWorker(worker: Worker): Promise<void> {
  worker.ref();
  let timer: NodeJS.Timeout | undefined;
  const stopped = new Promise<void>((resolve) => {
    worker.once('exit', () => resolve());
    timer = setTimeout(() => void worker.terminate(), 2000);
  });
  worker.postMessage('close');
  await stopped;
  clearTimeout(timer);
}
