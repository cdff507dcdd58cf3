// Waiting for another connection's write lock without blocking the event loop.
// better-sqlite3 waits for a lock on the calling thread, up to the busy timeout: while a CLI
// command in another process holds the lock, the server would stop answering anything for
// that long. The group committer instead tries the lock without waiting and, while it is
// held elsewhere, tries again on a timer, within the same busy timeout.
import type { Store } from './store';

/** Delays between tries: short at first, since most locks are brief; then every 50 ms. */
const RETRY_DELAYS_MS = [1, 2, 5, 10, 20, 50];

export const retryDelay = (attempt: number) => RETRY_DELAYS_MS[Math.min(attempt, RETRY_DELAYS_MS.length - 1)]!;

export const isLockError = (error: unknown) => /^SQLITE_(BUSY|LOCKED)/.test(String((error as { code?: unknown } | null)?.code ?? ''));

export interface LockTrier {
  /** The store's busy timeout as set now: the time to keep trying. */
  budgetMs(): number;
  /** Runs `fn` with SQLite's own busy wait turned off, so a held lock fails at once. */
  withoutWaiting<T>(fn: () => T): T;
}

export function createLockTrier(store: Store): LockTrier {
  // Not prepared ahead: SQLite applies a PRAGMA when it is prepared, so a prepared
  // "busy_timeout = 0" would turn the wait off for every statement on the connection.
  // Set with exec, which builds no statement object: a quarter of pragma()'s cost, per batch.
  const { sqlite } = store;
  return {
    budgetMs: () => store.busyTimeoutMs(),
    withoutWaiting(fn) {
      const timeout = store.busyTimeoutMs();
      if (timeout === 0) return fn();
      sqlite.exec('PRAGMA busy_timeout = 0');
      try {
        return fn();
      } finally {
        sqlite.exec(`PRAGMA busy_timeout = ${timeout}`);
      }
    },
  };
}
