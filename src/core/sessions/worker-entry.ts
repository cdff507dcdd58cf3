// The import worker thread: parses the file and posts batches; the engine's thread writes them.
// At most four batches are in flight, so memory stays flat whatever the file size.
import { parentPort, workerData } from 'node:worker_threads';
import { readBatches, type ReadJob } from './pipeline';

const IN_FLIGHT = 4;

export type WorkerMessage = { type: 'batch'; batch: import('./batch').Batch } | { type: 'done' } | { type: 'error'; message: string };

if (parentPort) {
  const port = parentPort;
  let credits = IN_FLIGHT;
  let wake: (() => void) | undefined;
  port.on('message', (message: { type: string }) => {
    if (message.type !== 'ack') return;
    credits++;
    wake?.();
  });
  const post = (message: WorkerMessage) => port.postMessage(message);
  readBatches(workerData as ReadJob, async (batch) => {
    while (credits <= 0) await new Promise<void>((resolve) => (wake = resolve));
    credits--;
    post({ type: 'batch', batch });
  }).then(
    () => post({ type: 'done' }),
    (error: Error) => post({ type: 'error', message: error.message }),
  );
}
