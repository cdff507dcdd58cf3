// bench/ingest: deliveries/s and latency of the webhook receiver, loaded from a second
// process on 127.0.0.1, for (a) verify-only and (b) full verify + durable store, in one run,
// and (c) the floor under (b): verify + one durable row per event, nothing else.
// (b) is the built `paylens serve` (npm run build), as its own process: the app as shipped.
// (a) and (c) are servers of this script, on the same listener and verification code.
//   npm run bench:ingest [-- seconds=10 connections=16 rounds=5]
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { databaseFile } from '../src/core/config/data-dir';
import { createEngine } from '../src/core/engine';
import type { StripeEvent } from '../src/core/webhooks/apply';
import { type Answer, type IncomingDelivery, parseEvent, type Receiver } from '../src/core/webhooks/receiver';
import { bodyText, verifySignature } from '../src/core/webhooks/verify';
import { startWebhookListener } from '../src/server/webhook-listener';
import { assertBuilt } from '../test/helpers/cli';
import { tempDir } from '../test/helpers/server';
import { SECRET, startBuiltServer } from './built-server';

type Engine = Awaited<ReturnType<typeof createEngine>>;

const [seconds = '10', connections = '16', rounds = '5'] = process.argv.slice(2);

interface LoadResult {
  requests: number;
  ok: number;
  non2xx: number;
  errors: number;
  seconds: number;
  throughput: number;
  p50: number;
  p99: number;
  /** CPU time the loader spent per request it sent (µs). */
  loaderCpuPerRequest: number;
}

/** CPU time (µs) a process has spent: all its threads, and its main thread; null where Linux's /proc is not there. */
function cpuOf(pid: number): { all: number | null; main: number | null } {
  return { all: ticks(`/proc/${pid}/stat`), main: ticks(`/proc/${pid}/task/${pid}/stat`) };
}

function ticks(statFile: string): number | null {
  try {
    // Fields 14 and 15 of a stat file: user and system time in clock ticks (100 per second).
    const stat = fs.readFileSync(statFile, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    return null;
  }
}

type Measured = LoadResult & { cpuPerDelivery: number | null; mainPerDelivery: number | null };

/** Runs the loader and measures what serving cost the server process `pid` per acknowledged delivery. */
async function measured(url: string, pid = process.pid): Promise<Measured> {
  const before = cpuOf(pid);
  const result = await load(url);
  const after = cpuOf(pid);
  const per = (from: number | null, to: number | null) => (from === null || to === null ? null : (to - from) / Math.max(1, result.ok));
  return { ...result, cpuPerDelivery: per(before.all, after.all), mainPerDelivery: per(before.main, after.main) };
}

function load(url: string): Promise<LoadResult> {
  // The loader runs in its own process so it does not share this event loop (which serves).
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', path.join(__dirname, 'ingest-load.ts'), url, SECRET, seconds, connections],
      { encoding: 'utf8', timeout: (Number(seconds) + 60) * 1000 },
      (error, stdout, stderr) => {
        if (error) return reject(new Error(`loader failed: ${stderr || error.message}`));
        resolve(JSON.parse(stdout.trim().split('\n').pop()!) as LoadResult);
      },
    );
  });
}

/** Given the server's engine: what it does with each verified event before answering. */
type AfterVerify = (engine: Engine) => (event: StripeEvent, text: string) => Promise<void>;

/**
 * Baselines: the same listener, endpoint lookup, signature check, event parsing and mode
 * check as the real receiver, then `afterVerify` (if any) before answering.
 */
async function baselineServer(dataDir: string, afterVerify?: AfterVerify) {
  const engine = await createEngine({ dataDir });
  const endpoint = engine.endpoints.create({ name: 'bench', secret: SECRET, mode: 'test', debug: false, clientIds: null });
  const store = afterVerify?.(engine);
  const baseline = {
    async handle(request: IncomingDelivery): Promise<Answer> {
      const token = request.path.split('/').pop() ?? '';
      const resolved = engine.endpoints.resolveToken(token);
      if (!resolved) return { status: 404, body: { error: 'Webhook endpoint not found' } };
      const text = bodyText(request.body);
      const verified = verifySignature(text, String(request.headers['stripe-signature'] ?? ''), resolved.secrets, request.receivedAt);
      if (!verified.ok) return { status: 400, body: { error: `Invalid signature: ${verified.reason}` } };
      const event = parseEvent(text);
      if (typeof event === 'string') return { status: 400, body: { error: `Not a Stripe event: ${event}` } };
      if ((event.livemode ? 'live' : 'test') !== resolved.row.mode) return { status: 400, body: { error: 'Live/test mode mismatch' } };
      await store?.(event, text);
      return { status: 200, body: { received: true, id: event.id, type: event.type, duplicate: false } };
    },
  };
  const listener = await startWebhookListener(baseline as unknown as Receiver, { port: 0, host: '127.0.0.1' });
  return {
    url: `${listener.url}${endpoint.path}`,
    close: async () => {
      await listener.close();
      await engine.close();
    },
  };
}

/**
 * The floor of any design that answers after an fsync: each event stored as one row
 * through the same group commit, with no delivery row and no payment state.
 */
const oneDurableRow: AfterVerify = (engine) => {
  const insert = engine.store.sqlite.prepare(
    'INSERT INTO events (id, type, created, livemode, handled, payload, received_at) VALUES (?, ?, ?, 0, 0, ?, ?)',
  );
  return (event, text) =>
    engine.commits.submit(() => {
      insert.run(event.id, event.type, event.created, text, Date.now());
    });
};

async function run(server: Promise<{ url: string; close: () => Promise<void> }>) {
  const { url, close } = await server;
  const result = await measured(url);
  await close();
  return result;
}

/** (b): `paylens serve` from the build; also checks that every acknowledged event was committed. */
async function runFull() {
  const dataDir = tempDir('paylens-bench-');
  const server = await startBuiltServer(dataDir);
  const result = await measured(server.webhookUrl, server.child.pid);
  await server.close();
  const db = new BetterSqlite3(databaseFile(dataDir), { readonly: true });
  const stored = (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
  db.close();
  return { ...result, stored };
}

const row = (name: string, r: LoadResult) =>
  `${name.padEnd(24)} ${r.throughput.toFixed(0).padStart(8)} deliveries/s   p50 ${String(r.p50).padStart(4)} ms   p99 ${String(r.p99).padStart(4)} ms   (${r.ok} ok, ${r.non2xx} non-2xx, ${r.errors} errors)`;

const ratio = (r: LoadResult, of: LoadResult) => r.throughput / of.throughput;
const percent = (value: number) => `${(value * 100).toFixed(1)}%`;

async function main() {
  assertBuilt();
  console.log(`bench/ingest: ${connections} connections, ${seconds} s per run, ${rounds} rounds of (a), (c), (b), loader in a second process`);
  // Rounds interleave the runs: this machine's speed drifts by tens of percent over minutes,
  // and a ratio is only fair between runs that saw the same machine.
  const results = [];
  for (let round = 1; round <= Number(rounds); round++) {
    const verifyOnly = await run(baselineServer(tempDir('paylens-bench-baseline-')));
    const floor = await run(baselineServer(tempDir('paylens-bench-floor-'), oneDurableRow));
    const full = await runFull();
    results.push({ verifyOnly, floor, full });
    console.log(
      `round ${round}: (a) ${verifyOnly.throughput.toFixed(0)}/s, (b) ${full.throughput.toFixed(0)}/s p99 ${full.p99} ms, (c) ${floor.throughput.toFixed(0)}/s` +
        ` -> (b)/(a) ${percent(ratio(full, verifyOnly))}, (c)/(a) ${percent(ratio(floor, verifyOnly))}`,
    );
  }
  const byRatio = [...results].sort((x, y) => ratio(x.full, x.verifyOnly) - ratio(y.full, y.verifyOnly));
  const median = byRatio[Math.floor((byRatio.length - 1) / 2)]!;
  const { verifyOnly, floor, full } = median;

  console.log('\nthe round with the median (b)/(a):');
  console.log(row('(a) verify only', verifyOnly));
  console.log(row('(b) verify + store', full));
  console.log(row('(c) verify + one row', floor));
  console.log(`durable ingest / verify-only throughput: ${percent(ratio(full, verifyOnly))} median of ${results.length} rounds (target ≥ 40%)`);
  console.log(`floor, one durable row per event and nothing else / verify-only: ${percent(ratio(floor, verifyOnly))}`);
  const worstP99 = Math.max(...results.map((r) => r.full.p99));
  console.log(`p99 with storage: ${full.p99} ms, worst round ${worstP99} ms  (target < 25 ms)`);
  // Where the ratio comes from: the serving thread's time per delivery, in each run.
  const loader = (r: LoadResult) => `${r.loaderCpuPerRequest.toFixed(0)} µs`;
  console.log(`loader CPU per request: (a) ${loader(verifyOnly)}; (b) ${loader(full)}; (c) ${loader(floor)}`);
  if (full.cpuPerDelivery !== null && full.mainPerDelivery !== null) {
    const cpu = (r: Measured) => `${r.cpuPerDelivery?.toFixed(0)} µs all threads, ${r.mainPerDelivery?.toFixed(0)} µs main thread`;
    console.log(`server CPU per delivery: (a) ${cpu(verifyOnly)}; (b) ${cpu(full)}; (c) ${cpu(floor)}`);
    // The most (b) could reach here if no core were ever idle: both processes share the machine.
    const cores = os.availableParallelism();
    const budget = (cores * 1e6) / (full.cpuPerDelivery + full.loaderCpuPerRequest);
    const share = (rate: number) => `${percent(rate / verifyOnly.throughput)} of (a)`;
    console.log(
      `CPU ceiling for (b) on ${cores} cores, every core busy all the time: ${budget.toFixed(0)} deliveries/s (${share(budget)}); ` +
        `the serving thread alone allows ${(1e6 / full.mainPerDelivery).toFixed(0)}/s (${share(1e6 / full.mainPerDelivery)})`,
    );
  }
  const lost = results.filter((r) => r.full.stored < r.full.ok);
  console.log(`events committed: ${results.map((r) => `${r.full.stored} of ${r.full.ok}`).join(', ')} acknowledged`);
  if (lost.length > 0) {
    console.error('LOST: fewer events committed than deliveries acknowledged');
    process.exitCode = 1;
  }
}

void main();
