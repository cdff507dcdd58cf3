// Starts the import worker, which parses the file off the engine's thread.
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../worker-threads';
import type { ReadJob } from './pipeline';

export const WORKER_BUNDLE = 'import-worker.js';
// Parsing makes short-lived garbage only (~20 MB of heap in use): a 4 MB young generation keeps
// peak RSS ~15 MB lower than 16 MB at the same speed; 40 MB old generation leaves room for 1 MiB lines.
const resourceLimits = { maxOldGenerationSizeMb: 40, maxYoungGenerationSizeMb: 4 };

export function startImportWorker(job: ReadJob): Worker {
  return startWorker({ dir: __dirname, source: 'worker-entry.ts', bundle: WORKER_BUNDLE }, job, resourceLimits);
}
