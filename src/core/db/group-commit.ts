// Group commit: work submitted in the same turn of the event loop runs in one
// transaction, each piece in its own savepoint, and every caller is answered only
// after the commit. With synchronous=FULL that is one fsync for many deliveries.
import type { Store } from './store';

interface Job {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  outcome?: { ok: true; value: unknown } | { ok: false; error: unknown };
}

export interface GroupCommitter {
  submit<T>(work: () => T): Promise<T>;
  /** Resolves when everything submitted so far has been committed or failed. */
  drain(): Promise<void>;
}

export function createGroupCommitter(store: Store): GroupCommitter {
  let queue: Job[] = [];
  let scheduled = false;
  let idle: Array<() => void> = [];

  const flush = () => {
    scheduled = false;
    const batch = queue;
    queue = [];
    try {
      store.tx(() => {
        for (const job of batch) {
          try {
            job.outcome = { ok: true, value: store.tx(job.work) };
          } catch (error) {
            job.outcome = { ok: false, error };
          }
        }
      });
      for (const job of batch) {
        if (job.outcome?.ok) job.resolve(job.outcome.value);
        else job.reject(job.outcome?.error);
      }
    } catch (error) {
      for (const job of batch) job.reject(error);
    }
    if (queue.length === 0) {
      const waiting = idle;
      idle = [];
      for (const done of waiting) done();
    }
  };

  return {
    submit<T>(work: () => T): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
        if (!scheduled) {
          scheduled = true;
          setImmediate(flush);
        }
      });
    },
    drain() {
      if (queue.length === 0 && !scheduled) return Promise.resolve();
      return new Promise<void>((resolve) => idle.push(resolve));
    },
  };
}
