// Group commit: work submitted in the same turn of the event loop runs in one
// transaction, and every caller is answered only after that transaction is on disk.
//
// Durability without blocking: the store commits with synchronous=NORMAL (WAL frames are
// written, not flushed), then the WAL file is flushed (fdatasync, as SQLite itself syncs) on
// libuv's thread pool before any caller of the batch is answered. That gives the callers what
// synchronous=FULL gives (nothing acknowledged is lost, even on power loss) while the main
// thread goes on verifying the next requests.
// One fsync at a time: work submitted while the WAL is being flushed waits for it and then
// commits as one batch. A transaction and an fsync cost far more than one more delivery in
// them, so under load batches grow instead of the number of commits.
// Savepoints cost as much as the work, so a batch takes them only when a piece fails.
// Checkpoints run on a worker thread (checkpoint-schedule.ts) once deliveries keep coming.
// A write lock held by another connection is waited for on a timer (lock-wait.ts), not on
// this thread, so the server keeps answering while a CLI command writes.
import fs from 'node:fs';
import { scheduleCheckpoints } from './checkpoint-schedule';
import { createLockTrier, isLockError, retryDelay } from './lock-wait';
import type { Store } from './store';

interface Job {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  outcome?: { ok: true; value: unknown } | { ok: false; error: unknown };
}

export interface GroupCommitter {
  submit<T>(work: () => T): Promise<T>;
  /** Resolves when everything submitted so far has been committed (and flushed) or failed. */
  drain(): Promise<void>;
  /** Checkpoints run off this thread so far, and why the worker stopped if it did. */
  checkpoints(): { completed: number; failure: string | null };
  /** Stops the checkpoint worker and releases the WAL file handle; call after drain(), before closing the store. */
  close(): Promise<void>;
}

export function createGroupCommitter(store: Store): GroupCommitter {
  let queue: Job[] = [];
  let scheduled = false;
  /** Batches committed or being flushed whose callers are not answered yet. */
  let inFlight = 0;
  let syncing = false;
  let idle: Array<() => void> = [];
  let walFd: number | undefined;
  const lock = createLockTrier(store);
  /** Set while the write lock is held elsewhere: when the wait began, how many tries so far. */
  let lockWait: { since: number; tries: number; error: unknown } | null = null;
  let waitingForLock = false;
  const flushesToDisk = store.sqlite.pragma('synchronous', { simple: true }) !== 2; // 2 = FULL syncs on its own
  const checkpoints = scheduleCheckpoints(store, () => schedule());

  /**
   * Runs every job in one transaction, which takes the write lock at BEGIN; without savepoints
   * the first failure aborts the batch.
   * Once another connection's lock stops one job, the rest fail with it instead of each
   * waiting out the busy timeout in turn (blocking the event loop).
   * Built once: better-sqlite3 sets up a transaction function at a cost paid on every batch.
   */
  const batchTransaction = store.sqlite.transaction((batch: Job[], isolate: boolean, began: () => void) => {
    began();
    let locked: unknown;
    for (const job of batch) {
      if (!isolate) {
        job.outcome = { ok: true, value: job.work() };
        continue;
      }
      if (locked) {
        job.outcome = { ok: false, error: locked };
        continue;
      }
      try {
        job.outcome = { ok: true, value: store.tx(job.work) };
      } catch (error) {
        job.outcome = { ok: false, error };
        if (isLockError(error)) locked = error;
      }
    }
  });
  const runBatch = (batch: Job[], isolate: boolean, began: () => void) => batchTransaction.immediate(batch, isolate, began);

  /** Commits the batch, recording each job's outcome; false when the write lock is held elsewhere and nothing ran. */
  const commitBatch = (batch: Job[]): boolean => {
    let began = false;
    const begin = () => {
      began = true;
    };
    try {
      runBatch(batch, false, begin);
    } catch (failure) {
      if (!began && isLockError(failure)) {
        lockWait ??= { since: Date.now(), tries: 0, error: failure };
        return false;
      }
      // One piece failed: redo the batch with a savepoint each, so only that piece is lost.
      // A lock held elsewhere fails the whole batch at once: redoing it would only wait again.
      if (isLockError(failure)) for (const job of batch) job.outcome = { ok: false, error: failure };
      else
        try {
          runBatch(batch, true, begin);
        } catch (error) {
          for (const job of batch) job.outcome = { ok: false, error };
        }
    }
    return true;
  };

  /** Flushes the WAL: the committed frames of this batch reach the disk. */
  const syncWal = (done: (error: Error | null) => void) => {
    if (!flushesToDisk || store.file === ':memory:') return done(null);
    try {
      walFd ??= fs.openSync(`${store.file}-wal`, 'r+');
    } catch (error) {
      return done(error as Error);
    }
    fs.fdatasync(walFd, done);
  };

  const schedule = (): void => {
    if (scheduled || syncing || checkpoints.holding() || waitingForLock || queue.length === 0) return;
    scheduled = true;
    setImmediate(flush);
  };

  const settle = (batch: Job[], error: Error | null) => {
    for (const job of batch) {
      if (error) job.reject(error);
      else if (job.outcome?.ok) job.resolve(job.outcome.value);
      else job.reject(job.outcome?.error);
    }
    inFlight -= 1;
    if (queue.length === 0 && inFlight === 0) {
      const waiting = idle;
      idle = [];
      for (const done of waiting) done();
    }
  };

  const flush = () => {
    scheduled = false;
    // A hold may have begun after this flush was scheduled; its release schedules the next one.
    if (checkpoints.holding()) return;
    const batch = queue;
    queue = [];
    if (!lock.withoutWaiting(() => commitBatch(batch))) {
      const wait = lockWait!;
      if (Date.now() - wait.since < lock.budgetMs()) {
        // Try again soon, with whatever is submitted meanwhile in the same batch.
        queue = batch.concat(queue);
        waitingForLock = true;
        setTimeout(() => {
          waitingForLock = false;
          schedule();
        }, retryDelay(wait.tries++));
        return;
      }
      // Held for the whole busy timeout: these jobs fail (the receiver answers 503; Stripe retries).
      for (const job of batch) job.outcome = { ok: false, error: wait.error };
    }
    lockWait = null;
    inFlight += 1;
    if (batch.every((job) => !job.outcome?.ok)) {
      settle(batch, null);
      return schedule();
    }
    syncing = true;
    syncWal((error) => {
      syncing = false;
      settle(batch, error);
      if (flushesToDisk) checkpoints.afterFlush();
      schedule();
    });
  };

  return {
    submit<T>(work: () => T): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
        schedule();
      });
    },
    drain() {
      if (queue.length === 0 && !scheduled && inFlight === 0) return Promise.resolve();
      return new Promise<void>((resolve) => idle.push(resolve));
    },
    checkpoints: () => checkpoints.stats(),
    async close() {
      await checkpoints.close();
      if (walFd !== undefined) fs.closeSync(walFd);
      walFd = undefined;
    },
  };
}
