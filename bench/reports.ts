// bench/reports: 1,000,000 sessions and 100,000 payments; times the attribution report
// (last touch, by utm_source, 90-day range, 30-day lookback) and revenue by day in Paylens,
// and the same questions as SQL in DuckDB over the same rows; prints both and the ratio.
// Then the built paylens serve on that store: webhook latency while the attribution report
// rebuilds, run by `paylens report` in another process and through the app's API.
//   npx tsx bench/reports.ts [sessions=1000000] [payments=100000]
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { createEngine } from '../src/core/engine';
import { buildDemo } from '../src/core/demo/index';
import { startWebhookListener } from '../src/server/webhook-listener';
import { assertBuilt, BIN } from '../test/helpers/cli';
import { deliverWhile, percentile, startBuiltServer } from './built-server';

const [sessionsArg = '1000000', paymentsArg = '100000'] = process.argv.slice(2);
const SESSIONS = Number(sessionsArg);
const PAYMENTS = Number(paymentsArg);
const DAYS = 90;
const TZ = 'America/New_York';
const LIMIT_MS = 10 * 60 * 1000;
const DAY_MS = 86_400_000;
const SOURCES = ['google', 'facebook', 'newsletter', 'twitter', 'bing', 'linkedin', 'reddit', 'partner', '', ''];

setTimeout(() => {
  console.error(`bench/reports: over ${LIMIT_MS / 60000} minutes, giving up`);
  process.exit(1);
}, LIMIT_MS).unref();

/** Deterministic PRNG (mulberry32) so every run measures the same data. */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
async function time<T>(fn: () => T | Promise<T>, runs = 5): Promise<{ first: number; warm: number; result: T }> {
  let t = performance.now();
  const result = await fn();
  const first = performance.now() - t;
  const warm: number[] = [];
  for (let i = 0; i < runs; i++) {
    t = performance.now();
    await fn();
    warm.push(performance.now() - t);
  }
  return { first, warm: median(warm), result };
}

interface Session { id: string; visitor: string; started: number; source: string }
interface Payment { id: string; amount: number; currency: string; paid: number; session: string }

function generate() {
  const rand = prng(42);
  const end = Date.UTC(2026, 3, 1);
  const start = end - DAYS * DAY_MS;
  const visitors = Math.max(1, Math.floor(SESSIONS / 3.3));
  const sessions: Session[] = new Array(SESSIONS);
  for (let i = 0; i < SESSIONS; i++) {
    sessions[i] = { id: `sess_${i}`, visitor: `anon_${Math.floor(rand() * visitors)}`, started: start + Math.floor(rand() * DAYS * DAY_MS), source: SOURCES[Math.floor(rand() * SOURCES.length)] };
  }
  const payments: Payment[] = new Array(PAYMENTS);
  for (let i = 0; i < PAYMENTS; i++) {
    const s = sessions[Math.floor(rand() * SESSIONS)];
    const jpy = rand() < 0.1;
    payments[i] = {
      id: `pi_${i}`,
      amount: jpy ? 500 + Math.floor(rand() * 20000) : 500 + Math.floor(rand() * 30000),
      currency: jpy ? 'jpy' : 'usd',
      paid: Math.floor((s.started + 60_000 + Math.floor(rand() * 1_800_000)) / 1000),
      // Some payments carry no session, some one that was never imported.
      session: rand() < 0.05 ? '' : rand() < 0.02 ? `sess_missing_${i}` : s.id,
    };
  }
  return { sessions, payments, rand };
}

/** Runs `paylens report attribution` in its own process, as a user at a terminal would. */
function cliReport(dataDir: string, range: { from: string; to: string; tz: string }) {
  return new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'report', 'attribution', '--from', range.from, '--to', range.to, '--tz', range.tz, '--data-dir', dataDir], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`paylens report failed: ${stderr}`))));
  });
}

/**
 * Webhook latency in the built `paylens serve` on this store while the attribution report is
 * computed right after new payments (so it rebuilds its precomputed tables): by the CLI in
 * another process, and through the app's API; against the same deliveries with nothing else.
 */
async function webhooksDuringReports(dataDir: string, range: { from: string; to: string; tz: string }) {
  assertBuilt();
  const server = await startBuiltServer(dataDir);
  const during = async (work: () => Promise<unknown>) => {
    let running = true;
    const deliveries = deliverWhile(server, () => running);
    const started = performance.now();
    await work();
    const ms = performance.now() - started;
    running = false;
    return { ...(await deliveries), ms };
  };
  const line = (name: string, r: { latencies: number[]; failures: number; ms: number }, what: string) =>
    console.log(
      `  ${name.padEnd(38)} p50 ${percentile(r.latencies, 50).toFixed(1)} ms, p99 ${percentile(r.latencies, 99).toFixed(1)} ms, max ${Math.max(...r.latencies).toFixed(0)} ms over ${r.latencies.length} (${r.failures} not 200)${what ? `; ${what} took ${r.ms.toFixed(0)} ms` : ''}`,
    );
  try {
    console.log('\nwebhooks to the built paylens serve on this store:');
    line('alone', await during(() => new Promise((resolve) => setTimeout(resolve, 3000))), '');
    line('while paylens report attribution runs', await during(() => cliReport(dataDir, range)), 'the report, rebuilding,');
    const input = { ...range, by: 'utm_source', model: 'last_touch', lookbackDays: 30 };
    line('while the API computes attribution', await during(() => server.api('reports.attribution', input)), 'the report, rebuilding,');
  } finally {
    await server.close();
  }
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paylens-bench-reports-'));
  try {
    let t = performance.now();
    const { sessions, payments, rand } = generate();
    console.log(`generated ${SESSIONS.toLocaleString()} sessions, ${PAYMENTS.toLocaleString()} payments in ${(performance.now() - t).toFixed(0)} ms`);

    const engine = await createEngine({ dataDir: dir, synchronous: 'OFF' });
    const { sqlite } = engine.store;
    t = performance.now();
    const insertSession = sqlite.prepare(
      `INSERT INTO analytics_sessions (session_id, anonymous_id, started_at, ended_at, landing_path, pageviews, events, utm_source, utm_medium, country)
       VALUES (?, ?, ?, ?, '/', 3, 3, ?, 'cpc', 'US')`,
    );
    const insertPayment = sqlite.prepare(
      `INSERT INTO payment_intents (id, amount, amount_received, currency, status, created, succeeded_at, session_id, metadata, event_created, livemode)
       VALUES (?, ?, ?, ?, 'succeeded', ?, ?, ?, '{}', ?, 0)`,
    );
    const insertRefund = sqlite.prepare(`INSERT INTO refunds (id, payment_intent, amount, currency, status, created, event_created) VALUES (?, ?, ?, ?, 'succeeded', ?, ?)`);
    const insertDispute = sqlite.prepare(`INSERT INTO disputes (id, payment_intent, amount, currency, status, created, event_created) VALUES (?, ?, ?, ?, 'lost', ?, ?)`);
    const refunds: Array<[string, string, number, string, number]> = [];
    const disputes: Array<[string, string, number, string, number]> = [];
    sqlite.transaction(() => {
      for (const s of sessions) insertSession.run(s.id, s.visitor, s.started, s.started + 300_000, s.source || null);
      for (const p of payments) {
        insertPayment.run(p.id, p.amount, p.amount, p.currency, p.paid - 30, p.paid, p.session || null, p.paid);
        if (rand() < 0.05) refunds.push([`re_${p.id}`, p.id, Math.ceil(p.amount / 2), p.currency, p.paid + 86_400 * 3]);
        else if (rand() < 0.005) disputes.push([`dp_${p.id}`, p.id, p.amount, p.currency, p.paid + 86_400 * 7]);
      }
      for (const r of refunds) insertRefund.run(...r, r[4]);
      for (const d of disputes) insertDispute.run(...d, d[4]);
    })();
    console.log(`loaded SQLite in ${(performance.now() - t).toFixed(0)} ms`);

    const { reports } = engine;
    const range = { from: '2026-01-01', to: '2026-03-31', tz: TZ };
    const attribution = await time(() => reports.attribution({ ...range, by: 'utm_source', model: 'last_touch', lookbackDays: 30 }));
    const revenue = await time(() => reports.revenue({ ...range, interval: 'day' }));

    t = performance.now();
    const duck = await (await DuckDBInstance.create(':memory:')).connect();
    await duck.run(`CREATE TABLE sessions (session_id VARCHAR, anonymous_id VARCHAR, started_at BIGINT, utm_source VARCHAR)`);
    await duck.run(`CREATE TABLE payments (id VARCHAR, amount BIGINT, currency VARCHAR, status VARCHAR, succeeded_at BIGINT, session_id VARCHAR, anonymous_id VARCHAR)`);
    await duck.run(`CREATE TABLE refunds (id VARCHAR, payment_intent VARCHAR, amount BIGINT, currency VARCHAR, status VARCHAR, created BIGINT)`);
    await duck.run(`CREATE TABLE disputes (id VARCHAR, payment_intent VARCHAR, amount BIGINT, currency VARCHAR, status VARCHAR, created BIGINT)`);
    const append = async (table: string, rows: Iterable<Array<string | number | null>>) => {
      const appender = await duck.createAppender(table);
      for (const row of rows) {
        for (const v of row) {
          if (v === null) appender.appendNull();
          else if (typeof v === 'number') appender.appendBigInt(BigInt(v));
          else appender.appendVarchar(v);
        }
        appender.endRow();
      }
      appender.closeSync();
    };
    await append('sessions', (function* () { for (const s of sessions) yield [s.id, s.visitor, s.started, s.source || null]; })());
    await append('payments', (function* () { for (const p of payments) yield [p.id, p.amount, p.currency, 'succeeded', p.paid, p.session || null, null]; })());
    await append('refunds', refunds.map((r) => [r[0], r[1], r[2], r[3], 'succeeded', r[4]]));
    await append('disputes', disputes.map((d) => [d[0], d[1], d[2], d[3], 'lost', d[4]]));
    console.log(`loaded DuckDB in ${(performance.now() - t).toFixed(0)} ms`);

    const startSec = Math.floor(Date.parse('2026-01-01T05:00:00Z') / 1000);
    const endSec = Math.floor(Date.parse('2026-04-01T04:00:00Z') / 1000);
    const duckAttribution = `
      WITH p AS (
        SELECT p.id, p.currency, p.amount, p.succeeded_at AS paid_at, p.session_id, coalesce(p.anonymous_id, s.anonymous_id) AS visitor, s.session_id IS NOT NULL AS known,
          p.amount - coalesce((SELECT sum(r.amount) FROM refunds r WHERE r.payment_intent = p.id AND r.status = 'succeeded'), 0)
                   - coalesce((SELECT sum(d.amount) FROM disputes d WHERE d.payment_intent = p.id AND d.status = 'lost'), 0) AS net
        FROM payments p LEFT JOIN sessions s ON s.session_id = p.session_id
        WHERE p.status = 'succeeded' AND p.succeeded_at >= ${startSec} AND p.succeeded_at < ${endSec}),
      t AS (
        SELECT p.id, arg_max(s.utm_source, s.started_at) AS src FROM p JOIN sessions s
          ON s.anonymous_id = p.visitor AND s.started_at >= p.paid_at * 1000 - ${30 * DAY_MS} AND s.started_at <= p.paid_at * 1000
        WHERE p.known GROUP BY p.id)
      SELECT CASE WHEN NOT p.known THEN '(unattributed)' ELSE coalesce(nullif(t.src, ''), '(none)') END AS value, p.currency,
        count(*) AS payments, sum(p.amount) AS gross, sum(p.net) AS net
      FROM p LEFT JOIN t ON t.id = p.id GROUP BY ALL`;
    const duckRevenue = `
      SELECT strftime(timezone('${TZ}', to_timestamp(t)), '%Y-%m-%d') AS day, currency, sum(gross), sum(payments), sum(refunded), sum(refunds), sum(disputed) FROM (
        SELECT succeeded_at AS t, currency, amount AS gross, 1 AS payments, 0 AS refunded, 0 AS refunds, 0 AS disputed FROM payments WHERE status = 'succeeded'
        UNION ALL SELECT created, currency, 0, 0, amount, 1, 0 FROM refunds WHERE status = 'succeeded'
        UNION ALL SELECT created, currency, 0, 0, 0, 0, amount FROM disputes WHERE status = 'lost')
      WHERE t >= ${startSec} AND t < ${endSec} GROUP BY ALL`;
    const duckA = await time(async () => (await duck.runAndReadAll(duckAttribution)).getRows());
    const duckR = await time(async () => (await duck.runAndReadAll(duckRevenue)).getRows());

    // Same answers, or the timing means nothing.
    const ours = attribution.result.rows.reduce((a, r) => a + r.gross, 0);
    const theirs = duckA.result.reduce((a, r) => a + Number(r[3]), 0);
    const revOurs = revenue.result.totals.reduce((a, r) => a + r.net, 0);
    const revTheirs = duckR.result.reduce((a, r) => a + Number(r[2]) - Number(r[4]) - Number(r[6]), 0);
    if (ours !== theirs || revOurs !== revTheirs) throw new Error(`results differ: attribution gross ${ours} vs ${theirs}, revenue net ${revOurs} vs ${revTheirs}`);

    const line = (name: string, p: { first: number; warm: number }, d: { warm: number }) =>
      console.log(`${name.padEnd(34)} Paylens ${p.warm.toFixed(1).padStart(7)} ms (first, with precompute: ${p.first.toFixed(0)} ms)   DuckDB ${d.warm.toFixed(1).padStart(7)} ms   Paylens/DuckDB ${(p.warm / d.warm).toFixed(2)}`);
    console.log('');
    line('attribution last_touch utm_source', attribution, duckA);
    line('revenue by day', revenue, duckR);

    console.log('\nevery report on this store (warm median ms):');
    const all: Record<string, () => unknown> = {
      revenue: () => reports.revenue({ ...range, interval: 'day' }),
      payments: () => reports.payments(range),
      attribution: () => reports.attribution({ ...range, by: 'utm_source', model: 'linear', lookbackDays: 30 }),
      conversion: () => reports.conversion({ ...range, by: 'utm_source' }),
      customers: () => reports.customers({ ...range, by: 'utm_source', lookbackDays: 30 }),
      subscriptions: () => reports.subscriptions({ ...range, interval: 'month' }),
      journey: () => reports.journey({ payment: 'pi_1', tz: TZ, lookbackDays: 30 }),
    };
    for (const [name, fn] of Object.entries(all)) {
      const r = await time(fn, 3);
      console.log(`  ${name.padEnd(14)} ${r.warm.toFixed(1).padStart(8)} ms   (first ${r.first.toFixed(0)} ms)`);
    }
    duck.closeSync();
    await engine.close();
    await webhooksDuringReports(dir, range);

    // The target for the app: every report under 200 ms on the demo store, first call included.
    const demoDir = fs.mkdtempSync(path.join(os.tmpdir(), 'paylens-bench-demo-'));
    try {
      const demo = await createEngine({ dataDir: demoDir });
      const end = Math.floor(Date.parse('2026-04-01T00:00:00Z') / 1000);
      const made = await buildDemo(demo, { days: 90, seed: 1, end, listen: (r) => startWebhookListener(r, { port: 0, host: '127.0.0.1' }) });
      const dr = demo.reports;
      const journeyId = demo.store.sqlite.prepare("SELECT id FROM payment_intents WHERE status = 'succeeded' AND session_id IS NOT NULL ORDER BY id LIMIT 1").pluck().get() as string | undefined;
      console.log(`\ndemo store (${made.sessions.toLocaleString()} sessions, ${made.payments.toLocaleString()} payments), ms per report (first call with precompute / warm):`);
      const demoReports: Record<string, () => unknown> = {
        revenue: () => dr.revenue({ ...range, interval: 'day' }),
        payments: () => dr.payments(range),
        attribution: () => dr.attribution({ ...range, by: 'utm_source', model: 'time_decay', lookbackDays: 30 }),
        conversion: () => dr.conversion({ ...range, by: 'utm_source' }),
        customers: () => dr.customers({ ...range, by: 'utm_source', lookbackDays: 30 }),
        subscriptions: () => dr.subscriptions({ ...range, interval: 'month' }),
        journey: () => dr.journey({ payment: journeyId ?? 'none', tz: TZ, lookbackDays: 30 }),
      };
      for (const [name, fn] of Object.entries(demoReports)) {
        const r = await time(fn, 3);
        console.log(`  ${name.padEnd(14)} ${r.first.toFixed(1).padStart(8)} / ${r.warm.toFixed(1).padStart(6)} ms${r.first > 200 ? '   OVER 200 ms' : ''}`);
      }
      await demo.close();
    } finally {
      fs.rmSync(demoDir, { recursive: true, force: true });
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
