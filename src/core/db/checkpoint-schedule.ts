// When to checkpoint: every so many WAL flushes, sized so a checkpoint copies about as many
// pages as SQLite's own automatic checkpoint would. The checkpoint itself runs on the worker
// thread (checkpointer.ts), started the first time one is due.
import { type Checkpointer, startCheckpointer } from './checkpointer';
import type { Store } from './store';

/** WAL pages to let accumulate between checkpoints (SQLite's own default). */
const CHECKPOINT_PAGES = 1000;

const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value));

export interface CheckpointSchedule {
  /** Call after each WAL flush: runs a checkpoint when one is due. */
  afterFlush(): void;
  /** True while a checkpoint copies the last frames: commits wait, so the WAL can start over. */
  holding(): boolean;
  /** Checkpoints completed so far, and why the worker stopped if it did. */
  stats(): { completed: number; failure: string | null };
  close(): Promise<void>;
}

/** `released` is called when commits held for a checkpoint may go on. */
export function scheduleCheckpoints(store: Store, released: () => void): CheckpointSchedule {
  let checkpointer: Checkpointer | null = null;
  let running = false;
  let hold = false;
  let flushesSince = 0;
  let flushesBetween = 32;
  let completed = 0;
  let failure: string | null = null;

  /**
   * A checkpoint runs while commits go on; if those commits left frames behind, a second one
   * copies them with commits held (it is short: the first did the bulk and its fsync).
   */
  const checkpoint = (holding: boolean) => {
    const worker = checkpointer;
    if (!worker) return;
    running = true;
    hold = holding;
    const flushes = flushesSince;
    flushesSince = 0;
    worker.run().then(
      (result) => {
        running = false;
        hold = false;
        if (result.complete) completed += 1;
        // Aim at CHECKPOINT_PAGES per checkpoint, whatever a flush writes.
        if (!holding && flushes > 0 && result.frames > 0) flushesBetween = clamp(Math.round((CHECKPOINT_PAGES * flushes) / result.frames), 4, 1024);
        if (!result.complete && !holding) return checkpoint(true);
        released();
      },
      (error: Error) => {
        // The store's own automatic checkpoint takes over again.
        running = false;
        hold = false;
        failure = error.message;
        checkpointer = null;
        void worker.close();
        released();
      },
    );
  };

  return {
    afterFlush() {
      if (running || failure || ++flushesSince < flushesBetween) return;
      if (!checkpointer) {
        try {
          checkpointer = startCheckpointer(store);
        } catch (error) {
          failure = (error as Error).message;
          return;
        }
        if (!checkpointer) {
          failure = 'this store has no WAL file to checkpoint';
          return;
        }
      }
      checkpoint(false);
    },
    holding: () => hold,
    stats: () => ({ completed, failure }),
    async close() {
      await checkpointer?.close();
      checkpointer = null;
    },
  };
}
