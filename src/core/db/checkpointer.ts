// Checkpoints off the serving thread. SQLite's automatic checkpoint runs inside a commit on
// the connection that committed, with two fsyncs; on the receiver's connection that blocked
// every delivery behind it for milliseconds. The checkpoint worker does the same work on its
// own connection; the serving connection keeps an automatic checkpoint only as a backstop,
// for writes that come while deliveries do not.
import type { Worker } from 'node:worker_threads';
import { startWorker, stopWorker } from '../worker-threads';
import type { CheckpointReply } from './checkpoint-worker';
import type { Store } from './store';

/**
 * The serving connection checkpoints on its own only past this many WAL pages (SQLite's default
 * is 1000): well past the point where the schedule has the WAL start over (RESTART_FRAMES).
 */
export const BACKSTOP_AUTOCHECKPOINT_PAGES = 10_000;

export interface CheckpointResult {
  /** Every frame was copied: the next commit starts the WAL over. */
  complete: boolean;
  /** Frames in the WAL when the checkpoint ran. */
  frames: number;
  /** Changes each time the WAL starts over: frames of two results compare only within one generation. */
  generation: number;
}

export interface Checkpointer {
  run(): Promise<CheckpointResult>;
  close(): Promise<void>;
}

/** Starts the worker; the store's own automatic checkpoint becomes the backstop. Null for in-memory stores. */
export function startCheckpointer(store: Store): Checkpointer | null {
  if (store.file === ':memory:') return null;
  const worker: Worker = startWorker({ dir: __dirname, source: 'checkpoint-worker.ts', bundle: 'checkpoint-worker.js' }, { file: store.file });
  worker.unref();
  let pending: Array<(reply: CheckpointReply) => void> = [];
  const answerAll = (reply: CheckpointReply) => {
    const waiting = pending;
    pending = [];
    worker.unref();
    for (const answer of waiting) answer(reply);
  };
  worker.on('message', (reply: CheckpointReply) => answerAll(reply));
  worker.on('error', (error: unknown) => answerAll({ ok: false, message: (error as Error | undefined)?.message || 'the checkpoint worker failed' }));
  let exited = false;
  worker.on('exit', () => {
    exited = true;
    answerAll({ ok: false, message: 'checkpoint worker stopped' });
  });
  store.sqlite.pragma(`wal_autocheckpoint = ${BACKSTOP_AUTOCHECKPOINT_PAGES}`);

  let closed = false;
  return {
    run() {
      if (closed) return Promise.resolve({ complete: false, frames: 0, generation: -1 });
      if (exited) return Promise.reject(new Error('checkpoint worker stopped'));
      return new Promise<CheckpointResult>((resolve, reject) => {
        // Referenced only while a checkpoint is out, so an idle worker never keeps the process alive.
        worker.ref();
        pending.push((reply) => (reply.ok ? resolve({ complete: reply.busy === 0 && reply.log === reply.checkpointed, frames: reply.log, generation: reply.generation }) : reject(new Error(reply.message))));
        worker.postMessage('checkpoint');
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      store.sqlite.pragma('wal_autocheckpoint = 1000');
      if (!exited) await stopWorker(worker);
    },
  };
}
