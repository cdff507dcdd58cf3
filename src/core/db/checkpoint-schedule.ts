// When to checkpoint: every so many WAL flushes, sized so a checkpoint copies about as many
// pages as SQLite's own automatic checkpoint would. The checkpoint itself runs on the worker
// thread (checkpointer.ts), started the first time one is due.
// The WAL file starts over only when a commit begins with every frame copied. Under load,
// commits go on while a checkpoint runs, so that moment never comes by itself: once the WAL is
// long, a checkpoint is followed by one with commits held (short: the first did the bulk).
// Without it the serving connection's backstop checkpoint would run, on the serving thread,
// with its fsyncs.
import { type Checkpointer, startCheckpointer } from './checkpointer';
import type { Store } from './store';

/** WAL pages to let accumulate between checkpoints (SQLite's own default). */
const CHECKPOINT_PAGES = 1000;
/** WAL frames past which commits are held for a moment so the WAL can start over. */
export const RESTART_FRAMES = 3 * CHECKPOINT_PAGES;

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
  let flushes = 0;
  /** `flushes` when the last checkpoint was asked for. */
  let flushesAtRequest = 0;
  let flushesBetween = 32;
  /** The WAL and the flush count at the last checkpoint's answer: with the next, how many frames a flush writes. */
  let last = { frames: 0, generation: -1, flushes: 0 };
  let completed = 0;
  let failure: string | null = null;

  const checkpoint = (holding: boolean) => {
    const worker = checkpointer;
    if (!worker) return;
    running = true;
    hold = holding;
    flushesAtRequest = flushes;
    worker.run().then(
      (result) => {
        running = false;
        hold = false;
        if (result.complete) completed += 1;
        // Aim at CHECKPOINT_PAGES per checkpoint, whatever a flush writes: frames and flushes
        // between two answers (a checkpoint may start late; the first waits for the worker).
        const added = { frames: result.generation === last.generation ? result.frames - last.frames : result.frames, flushes: flushes - last.flushes };
        last = { frames: result.frames, generation: result.generation, flushes };
        if (added.flushes > 0 && added.frames > 0) flushesBetween = clamp(Math.round((CHECKPOINT_PAGES * added.flushes) / added.frames), 4, 1024);
        // Commits may have overtaken it (some still on their way to disk): copy theirs with commits held.
        if (!holding && result.frames >= RESTART_FRAMES) return checkpoint(true);
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
      flushes += 1;
      if (running || failure || flushes - flushesAtRequest < flushesBetween) return;
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
