// Starts the import worker: the bundled file next to the built app, or the TypeScript
// entry through tsx when running from source (tests, benches).
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ReadJob } from './pipeline';

export const WORKER_BUNDLE = 'import-worker.js';
// Parsing makes short-lived garbage only (~20 MB of heap in use): a 4 MB young generation keeps
// peak RSS ~15 MB lower than 16 MB at the same speed; 40 MB old generation leaves room for 1 MiB lines.
const resourceLimits = { maxOldGenerationSizeMb: 40, maxYoungGenerationSizeMb: 4 };

export function startImportWorker(job: ReadJob): Worker {
  const source = path.join(__dirname, 'worker-entry.ts');
  if (fs.existsSync(source) && !fs.existsSync(path.join(__dirname, WORKER_BUNDLE))) {
    const code = `require('tsx/cjs/api').register(); require(${JSON.stringify(source)});`;
    return new Worker(code, { eval: true, workerData: job, resourceLimits });
  }
  // Shared chunks of the bundle may sit one folder below the entry files.
  const bundle = [__dirname, path.dirname(__dirname)].map((dir) => path.join(dir, WORKER_BUNDLE)).find((file) => fs.existsSync(file));
  if (!bundle) throw new Error(`The import worker (${WORKER_BUNDLE}) is missing next to ${__dirname}; rebuild with npm run build`);
  return new Worker(bundle, { workerData: job, resourceLimits });
}
