// The conversion report keeps its session counts in the report cache until sessions change:
// new payments reuse them, an import recounts them, and counts of older builds are dropped.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reports } from '../src/core/reports/index';
import { at, closeConnection, insertSessions, otherReportConnection, stripeStore } from './helpers/reports';
import { startTestServer, type TestServer } from './helpers/server';

const RANGE = { from: '2026-01-01', to: '2026-01-31', tz: 'UTC' };

let server: TestServer;
let reports: Reports;

/** The cache as another process sees it: which session-count builds it holds, and their rows. */
function cached() {
  const cache = otherReportConnection(server.dataDir);
  try {
    const builds = cache.sqlite.prepare(`SELECT key, built_at FROM report_cache WHERE key LIKE 'session-counts:%' ORDER BY key`).all() as Array<{ key: string; built_at: number }>;
    const keys = cache.sqlite.prepare(`SELECT DISTINCT key FROM report_session_counts ORDER BY key`).pluck().all() as string[];
    return { builds, keys };
  } finally {
    closeConnection(cache);
  }
}

const counts = (by: 'country' | 'utm_source') =>
  reports.conversion({ ...RANGE, by }).rows.map((r) => [r.value, r.sessions, r.visitors, r.converting_sessions, r.revenue]);

beforeAll(async () => {
  server = await startTestServer();
  reports = server.headless.engine.reports;
  insertSessions(server, [
    { session_id: 's1', anonymous_id: 'v1', started_at: at('2026-01-05T09:00'), utm_source: 'google', country: 'DE' },
    { session_id: 's2', anonymous_id: 'v1', started_at: at('2026-01-06T09:00'), utm_source: 'google', country: 'DE' },
    { session_id: 's3', anonymous_id: 'v2', started_at: at('2026-01-07T09:00'), utm_source: 'newsletter', country: 'FR' },
    // Ten sessions a year earlier: the range first holds 3 of 13 sessions (counted through the
    // started_at index), then 4 of 14 (over a quarter: counted by reading the table in order).
    ...Array.from({ length: 10 }, (_, i) => ({ session_id: `old${i}`, anonymous_id: 'v9', started_at: at(`2025-01-${10 + i}T09:00`), utm_source: 'google', country: 'DE' })),
  ]);
  await stripeStore(server).pay('p1', { amount: 5000, at: at('2026-01-05T10:00'), metadata: { session_id: 's1' } });
});
afterAll(async () => server?.close());

describe('conversion session counts', () => {
  it('are reused after new payments, which still show in the same report', async () => {
    expect(counts('country')).toEqual([
      ['DE', 2, 1, 1, 5000],
      ['FR', 1, 1, 0, 0],
    ]);
    const before = cached().builds;
    expect(before).toHaveLength(1);

    await stripeStore(server).pay('p2', { amount: 700, at: at('2026-01-07T10:00'), metadata: { session_id: 's3' } });
    expect(counts('country')).toEqual([
      ['DE', 2, 1, 1, 5000],
      ['FR', 1, 1, 1, 700],
    ]);
    expect(cached().builds).toEqual(before);
  });

  it('are counted again once sessions change, and builds of other ranges or dimensions are dropped then', () => {
    expect(counts('utm_source')).toEqual([
      ['google', 2, 1, 1, 5000],
      ['newsletter', 1, 1, 1, 700],
    ]);
    expect(cached().keys).toHaveLength(2);

    insertSessions(server, [{ session_id: 's4', anonymous_id: 'v3', started_at: at('2026-01-08T09:00'), utm_source: 'google', country: 'FR' }]);
    expect(counts('country')).toEqual([
      ['DE', 2, 1, 1, 5000],
      ['FR', 2, 2, 1, 700],
    ]);
    const after = cached();
    expect(after.keys).toEqual([after.builds[0]!.key]);
    expect(after.builds).toHaveLength(1);
    expect(after.builds[0]!.key).toContain(':country:');
  });
});
