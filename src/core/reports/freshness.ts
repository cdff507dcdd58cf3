// Lazy refresh of precomputed report tables: each build remembers the source versions it
// saw (bumped by triggers on every write to its sources) and runs again only when they moved.
import { sql } from 'kysely';
import { isLockError } from '../db/lock-wait';
import type { Store } from '../db/store';

export type Source = 'stripe' | 'sessions';
type Versions = Record<Source, number>;

export function createFreshness(store: Store, now: () => number) {
  const versions = (): Versions => {
    const rows = store.all(sql<{ source: Source; version: number }>`SELECT source, version FROM report_state`);
    const out: Versions = { stripe: 0, sessions: 0 };
    for (const r of rows) out[r.source] = r.version;
    return out;
  };

  const isFresh = (key: string, current: Versions, sources: Source[]) => {
    const cached = store.first(sql<{ stripe_version: number; sessions_version: number }>`SELECT stripe_version, sessions_version FROM report_cache WHERE key = ${key}`);
    if (!cached) return false;
    return sources.every((s) => (s === 'stripe' ? cached.stripe_version : cached.sessions_version) === current[s]);
  };

  /** Keys with this prefix whose build predates the current versions of `sources`. */
  const staleKeys = (prefix: string, sources: Source[]): string[] => {
    const current = versions();
    const moved = sources.map((s) => (s === 'stripe' ? sql`stripe_version <> ${current.stripe}` : sql`sessions_version <> ${current.sessions}`));
    return store.all(sql<{ key: string }>`SELECT key FROM report_cache WHERE key LIKE ${prefix + '%'} AND (${sql.join(moved, sql` OR `)})`).map((r) => r.key);
  };

  return {
    versions,
    /** Runs `build` (in one transaction) unless `key` was built from the current versions of `sources`. */
    ensure(key: string, sources: Source[], build: () => void): boolean {
      if (isFresh(key, versions(), sources)) return false;
      return store.tx(() => {
        // The cache's write lock first: a transaction that has read cannot wait for it (SQLite
        // answers busy at once), and BEGIN IMMEDIATE would lock the attached database too.
        try {
          store.run(sql`UPDATE report_cache SET built_at = built_at WHERE 0`);
        } catch (error) {
          if (isLockError(error)) throw new Error('Reports are being rebuilt by another Paylens process; try again once it has finished', { cause: error });
          throw error;
        }
        const current = versions();
        if (isFresh(key, current, sources)) return false;
        build();
        store.run(sql`INSERT INTO report_cache (key, stripe_version, sessions_version, built_at)
          VALUES (${key}, ${current.stripe}, ${current.sessions}, ${now()})
          ON CONFLICT(key) DO UPDATE SET stripe_version = excluded.stripe_version, sessions_version = excluded.sessions_version, built_at = excluded.built_at`);
        return true;
      });
    },
    /**
     * Inside a build of `key`: `clear` the rows of `key` and of every stale key with its prefix,
     * and forget those stale builds, so older builds do not pile up as dead rows.
     */
    clearWithStale(key: string, prefix: string, sources: Source[], clear: (key: string) => void): void {
      for (const stale of [key, ...staleKeys(prefix, sources)]) {
        clear(stale);
        if (stale !== key) store.run(sql`DELETE FROM report_cache WHERE key = ${stale}`);
      }
    },
  };
}

export type Freshness = ReturnType<typeof createFreshness>;
