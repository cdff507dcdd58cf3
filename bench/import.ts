// bench/import: rows/s of an import on a generated 1,000,000-row events CSV, against the
// sqlite3 command-line tool's `.import` of the same file into a bare table, plus peak RSS and
// the webhook receiver's p99 latency while the import runs. The import runs in the built
// `paylens serve` (npm run build), as its own process: what is measured is the app as shipped,
// whose peak RSS the kernel reports (VmHWM), without this script's TypeScript loader.
//   npm run bench:import [-- rows=1000000]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { assertBuilt } from '../test/helpers/cli';
import { tempDir } from '../test/helpers/server';
import { deliverWhile, percentile, startBuiltServer } from './built-server';
const ROWS = Number(process.argv[2] ?? 1_000_000);
const COLUMNS = ['id', 'session_id', 'anonymous_id', 'time', 'event_name', 'path', 'title', 'referrer', 'utm_source', 'utm_medium', 'utm_campaign', 'country', 'device_type', 'browser_name', 'os_name'];

/** A realistic events export: sessions of ~6 events, visitors with ~2 sessions, UTMs on landing rows. */
async function generate(file: string) {
  const out = fs.createWriteStream(file);
  const t0 = Date.UTC(2025, 0, 1);
  const pages = ['/', '/pricing', '/blog/launch', '/docs/start', '/checkout', '/account'];
  let chunk = `${COLUMNS.join(',')}\n`;
  for (let i = 0; i < ROWS; i++) {
    const session = Math.floor(i / 6);
    const first = i % 6 === 0;
    const time = new Date(t0 + session * 45_000 + (i % 6) * 20_000).toISOString();
    chunk += `evt_${i},sess_${session},anon_${Math.floor(session / 2)},${time},${i % 6 === 5 ? 'click' : 'screen_view'},${pages[i % 6]},Page ${i % 6},${first ? 'https://www.google.com/' : ''},${first ? 'newsletter' : ''},${first ? 'email' : ''},${first ? 'spring_sale' : ''},DE,desktop,Firefox,Linux\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      chunk = '';
    }
  }
  await new Promise<void>((resolve) => out.end(chunk, resolve));
}

function sqliteBaseline(file: string, dir: string): number {
  const db = path.join(dir, 'baseline.db');
  const started = performance.now();
  const result = spawnSync('sqlite3', [db, '-cmd', `CREATE TABLE t(${COLUMNS.join(', ')})`, `.import --csv --skip 1 ${file} t`], { encoding: 'utf8' });
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0) throw new Error(`sqlite3 .import failed: ${result.stderr || result.error?.message}`);
  const count = spawnSync('sqlite3', [db, 'SELECT count(*) FROM t'], { encoding: 'utf8' }).stdout.trim();
  if (Number(count) !== ROWS) throw new Error(`sqlite3 imported ${count} rows, expected ${ROWS}`);
  return ROWS / seconds;
}

interface ImportState {
  id: number;
  status: string;
  rowsRead: number;
  imported: number;
  sessions: number;
  visitors: number;
}

async function main() {
  assertBuilt();
  const dir = tempDir('paylens-bench-import-');
  const file = path.join(dir, 'events.csv');
  await generate(file);
  console.log(`generated ${ROWS.toLocaleString('en-US')} rows (${(fs.statSync(file).size / 1e6).toFixed(0)} MB) in ${file}`);

  const baseline = sqliteBaseline(file, dir);

  const server = await startBuiltServer(path.join(dir, 'data'));
  let importing = true;
  const deliveries = deliverWhile(server, () => importing);
  const started = performance.now();
  let summary = await server.api<ImportState>('imports.start', { path: file });
  while (summary.status === 'running') {
    await new Promise((resolve) => setTimeout(resolve, 25));
    summary = await server.api<ImportState>('imports.get', { id: summary.id });
  }
  const seconds = (performance.now() - started) / 1000;
  importing = false;
  const { latencies, failures } = await deliveries;
  const peakRss = server.peakRss();
  await server.close();

  const rate = summary.rowsRead / seconds;
  const ratio = rate / baseline;
  const p99 = percentile(latencies, 99);
  const mark = (ok: boolean) => (ok ? 'ok  ' : 'MISS');
  console.log(`paylens import      ${Math.round(rate).toLocaleString('en-US').padStart(9)} rows/s  (${seconds.toFixed(2)} s, ${summary.imported.toLocaleString('en-US')} rows, ${summary.sessions.toLocaleString('en-US')} sessions, ${summary.visitors.toLocaleString('en-US')} visitors, status ${summary.status})`);
  console.log(`sqlite3 .import     ${Math.round(baseline).toLocaleString('en-US').padStart(9)} rows/s  (bare table, no indexes)`);
  console.log(`${mark(rate >= 100_000)} rows/s            ${Math.round(rate).toLocaleString('en-US')} (target ≥ 100,000)`);
  console.log(`${mark(ratio >= 0.35)} ratio to sqlite3   ${(ratio * 100).toFixed(0)}% (target ≥ 35%)`);
  console.log(`${mark(peakRss < 250e6)} peak RSS          ${(peakRss / 1e6).toFixed(0)} MB (target < 250 MB; the whole paylens serve process: receiver, engine and import worker)`);
  console.log(`${mark(p99 < 100)} webhook p99       ${p99.toFixed(1)} ms over ${latencies.length} deliveries during the import (p50 ${percentile(latencies, 50).toFixed(1)} ms, ${failures} not 200; target < 100 ms)`);
  fs.rmSync(dir, { recursive: true, force: true });
}

void main().catch((error) => {
  console.error(error);
  process.exit(1);
});
