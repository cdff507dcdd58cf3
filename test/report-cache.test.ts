// The precomputed report tables live in their own file, so a report rebuilding them (say a
// `paylens report` run next to `paylens serve`) never holds the lock webhook commits need.
import fs from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportCacheFile } from '../src/core/config/data-dir';
import { createEngine } from '../src/core/engine';
import { CANDIDATE_SESSIONS_SQL } from '../src/core/reports/touchpoints';
import type { Store } from '../src/core/db/store';
import { fixture, makeEvent } from './helpers/fixtures';
import { closeConnection, otherReportConnection } from './helpers/reports';
import { startTestServer, tempDir, type TestServer } from './helpers/server';
import { at, reader, uid } from './helpers/state';

let server: TestServer;
let other: Store;
beforeAll(async () => {
  // A short busy timeout: a commit stuck behind another writer would get its 503 at once.
  server = await startTestServer({ busyTimeoutMs: 50 });
  other = otherReportConnection(server.headless.engine.dataDir);
});
afterAll(async () => {
  closeConnection(other);
  await server?.close();
});
const { one } = reader(() => server);

const payment = (id: string) =>
  makeEvent('payment_intent.succeeded', fixture('payment_intent', { id, status: 'succeeded', amount_received: 2500, currency: 'usd', metadata: { client_id: 'c', session_id: 's' } }), { created: at(0) });

describe('the report cache', () => {
  it('is rebuilt in its own file: webhooks commit while another process holds a rebuild open', async () => {
    const first = uid('pi');
    expect((await server.deliver(payment(first))).status).toBe(200);
    // Another process starts rebuilding, and is still writing.
    other.sqlite.exec('BEGIN');
    other.sqlite.exec('DELETE FROM report_payments');
    other.sqlite.prepare(`INSERT INTO report_cache (key, stripe_version, sessions_version, built_at) VALUES ('payments', 0, 0, 0)`).run();
    expect(other.sqlite.inTransaction).toBe(true);

    const second = uid('pi');
    const answer = await server.deliver(payment(second));
    expect(answer.status).toBe(200);
    expect(one('SELECT status, amount_received FROM payment_intents WHERE id = ?', second)).toEqual({ status: 'succeeded', amount_received: 2500 });
    other.sqlite.exec('ROLLBACK');

    // Reports read the database through their own connection and see both payments.
    const ids = server.headless.engine.reports.paymentList({ currency: 'usd' }).map((p) => p.id);
    expect(ids).toEqual(expect.arrayContaining([first, second]));
  });

  it('says so in plain words when another process keeps rebuilding past the wait', async () => {
    const dataDir = tempDir('paylens-report-busy-');
    const engine = await createEngine({ dataDir, busyTimeoutMs: 100 });
    const rebuilding = otherReportConnection(dataDir);
    try {
      engine.store.sqlite.exec(`UPDATE report_state SET version = version + 1 WHERE source = 'stripe'`);
      rebuilding.sqlite.exec('BEGIN');
      rebuilding.sqlite.exec('DELETE FROM report_payments');
      expect(() => engine.reports.revenue({ interval: 'day' })).toThrow('Reports are being rebuilt by another Paylens process; try again once it has finished');
      closeConnection(rebuilding);
      expect(engine.reports.revenue({ interval: 'day' }).totals).toEqual([]);
    } finally {
      closeConnection(rebuilding);
      await engine.close();
    }
  });

  it("finds a payment's candidate touchpoints from the visitor index alone, without reading session rows", () => {
    const plan = (other.sqlite.prepare(`EXPLAIN QUERY PLAN ${CANDIDATE_SESSIONS_SQL}`).all(86_400_000) as Array<{ detail: string }>).map((r) => r.detail);
    expect(plan).toContainEqual(expect.stringMatching(/USING COVERING INDEX analytics_sessions_visitor/));
  });

  it('holds no report tables in the database file itself', () => {
    const tables = one(`SELECT group_concat(name) AS names FROM sqlite_schema WHERE type = 'table' AND name LIKE 'report_%'`)!.names;
    expect(tables).toBe('report_state');
  });

  it('starts over from a file that is not a database, or that another version wrote', async () => {
    const dataDir = tempDir('paylens-report-cache-');
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(reportCacheFile(dataDir), 'not a database at all, but long enough to have a header'.repeat(100));
    const engine = await createEngine({ dataDir });
    try {
      expect(engine.reports.revenue({ interval: 'day' }).totals).toEqual([]);
    } finally {
      await engine.close();
    }

    const older = new BetterSqlite3(reportCacheFile(dataDir));
    older.exec('DROP TABLE report_payments; CREATE TABLE report_payments (id TEXT); PRAGMA user_version = 999');
    older.close();
    const again = await createEngine({ dataDir });
    try {
      expect(again.reports.revenue({ interval: 'day' }).totals).toEqual([]);
      const columns = new BetterSqlite3(reportCacheFile(dataDir), { readonly: true });
      expect((columns.prepare('SELECT count(*) AS n FROM pragma_table_info(?)').get('report_payments') as { n: number }).n).toBeGreaterThan(10);
      columns.close();
    } finally {
      await again.close();
    }
  });
});
