import { afterEach, describe, expect, it } from 'vitest';
import type { ImportDetail, ImportProgress, ImportRecord } from '../src/shared/api/imports';
import { importEnv, type ImportEnv } from './helpers/imports';
import { startTestServer, type TestServer } from './helpers/server';

let env: ImportEnv;
let server: TestServer | undefined;
afterEach(async () => {
  await env?.close();
  await server?.close();
  server = undefined;
});

const T0 = Date.parse('2025-04-01T08:00:00Z');
const line = (i: number, session: string, anon = 'v1') => `e${i},${session},${anon},${new Date(T0 + i * 60_000).toISOString()},/p${i},${i === 1 ? 'https://www.duckduckgo.com/' : ''}`;
const HEADER = 'id,session_id,anonymous_id,time,path,referrer';
const file = (lines: string[]) => `${HEADER}\n${lines.join('\n')}\n`;
const SESSIONS = 'SELECT session_id, anonymous_id, started_at, ended_at, landing_path, exit_path, pageviews, events, referrer_domain FROM analytics_sessions ORDER BY session_id';

/** Sessions of `n` events each, spread over many sessions and visitors. */
function bigFile(rows: number, perSession = 7): string {
  const out = [HEADER];
  for (let i = 0; i < rows; i++) out.push(line(i, `s${Math.floor(i / perSession)}`, `v${Math.floor(i / (perSession * 3))}`));
  return `${out.join('\n')}\n`;
}

describe('re-imports and overlapping exports', () => {
  it('importing the same file again changes nothing', async () => {
    env = await importEnv();
    const path = env.file('same.csv', bigFile(3000));
    expect(await env.run(path, { batchRows: 700 })).toMatchObject({ imported: 3000, duplicates: 0 });
    const snapshot = () => ({ sessions: env.all(SESSIONS), visitors: env.all('SELECT * FROM visitors ORDER BY anonymous_id'), pageviews: env.all('SELECT * FROM pageviews ORDER BY id') });
    const before = snapshot();
    expect(await env.run(path, { batchRows: 333 })).toMatchObject({ status: 'completed', imported: 0, duplicates: 3000, sessions: 0, visitors: 0 });
    expect(snapshot()).toEqual(before);
  });

  it('a partly stored export counts only its new rows, also where they share a statement with stored ones', async () => {
    // The writer inserts pageviews 100 per statement; stored rows and in-file repeats are mixed into those.
    env = await importEnv();
    const all = bigFile(1200).trim().split('\n').slice(1);
    await env.run(env.file('a.csv', `${HEADER}\n${all.filter((_, i) => i % 3 === 0).join('\n')}\n`));
    const mixed = [...all.slice(0, 700), ...all.slice(650, 760), ...all.slice(700)];
    expect(await env.run(env.file('b.csv', `${HEADER}\n${mixed.join('\n')}\n`), { batchRows: 450 })).toMatchObject({ imported: 800, duplicates: 400 + 110 });
    const fresh = await importEnv();
    await fresh.run(fresh.file('all.csv', bigFile(1200)));
    expect(env.all(SESSIONS)).toEqual(fresh.all(SESSIONS));
    expect(env.one('SELECT count(*) AS n FROM pageviews')).toEqual({ n: 1200 });
    await fresh.close();
  });

  it('a session spread over two overlapping exports becomes one, in either order', async () => {
    const a = file([1, 2, 3, 4, 5, 6].map((i) => line(i, 'sx')).concat(line(7, 'sy')));
    const b = file([4, 5, 6, 8, 9].map((i) => line(i, 'sx')).concat(line(10, 'sz')));
    const results = [];
    for (const order of [
      ['a', 'b'],
      ['b', 'a'],
    ]) {
      const e = await importEnv();
      try {
        const files = { a: e.file('a.csv', a), b: e.file('b.csv', b) };
        const first = await e.run(files[order[0] as 'a' | 'b']);
        const second = await e.run(files[order[1] as 'a' | 'b']);
        expect(first.imported + second.imported).toBe(10);
        expect(second.duplicates).toBe(3);
        results.push({ sessions: e.all(SESSIONS), visitors: e.all('SELECT * FROM visitors') });
      } finally {
        await e.close();
      }
    }
    expect(results[0]).toEqual(results[1]);
    expect(results[0]!.sessions[0]).toEqual({
      session_id: 'sx',
      anonymous_id: 'v1',
      started_at: T0 + 60_000,
      ended_at: T0 + 9 * 60_000,
      landing_path: '/p1',
      exit_path: '/p9',
      pageviews: 8,
      events: 8,
      referrer_domain: 'duckduckgo.com',
    });
    expect(results[0]!.visitors).toEqual([{ anonymous_id: 'v1', first_seen_at: T0 + 60_000, last_seen_at: T0 + 10 * 60_000, sessions: 3 }]);
  });
});

describe('cancel and progress', () => {
  it('a cancelled import leaves only whole batches: every session agrees with its stored pageviews', async () => {
    env = await importEnv();
    const path = env.file('big.csv', bigFile(60_000));
    const controller = new AbortController();
    const summary = await env.run(path, {
      batchRows: 1000,
      signal: controller.signal,
      onProgress: (p) => p.rowsRead > 0 && controller.abort(),
    });
    expect(summary.status).toBe('cancelled');
    expect(summary.rowsRead).toBeGreaterThan(0);
    expect(summary.rowsRead).toBeLessThan(60_000);
    expect(summary.rowsRead % 1000).toBe(0);
    const stored = env.one<{ n: number }>('SELECT count(*) AS n FROM pageviews').n;
    expect(stored).toBe(summary.imported);
    expect(env.one('SELECT count(*) AS n FROM analytics_sessions s WHERE events != (SELECT count(*) FROM pageviews p WHERE p.session_id = s.session_id)')).toEqual({ n: 0 });
    expect(env.one('SELECT count(*) AS n FROM visitors v WHERE sessions != (SELECT count(*) FROM analytics_sessions s WHERE s.anonymous_id = v.anonymous_id)')).toEqual({ n: 0 });
    expect(env.one('SELECT status, finished_at IS NOT NULL AS finished FROM imports WHERE id = ?', summary.id)).toEqual({ status: 'cancelled', finished: 1 });

    // Importing the file again completes it.
    expect(await env.run(path)).toMatchObject({ status: 'completed', imported: 60_000 - stored, duplicates: stored });
    expect(env.one('SELECT count(*) AS n, sum(events) AS events FROM analytics_sessions')).toEqual({ n: Math.ceil(60_000 / 7), events: 60_000 });
  });

  it('pushes progress events with bytes, rows, rate and a final status', async () => {
    env = await importEnv();
    const path = env.file('p.csv', bigFile(20_000));
    const events: ImportProgress[] = [];
    const off = env.engine.bus.on('import.progress', (p) => events.push(p));
    const summary = await env.run(path, { batchRows: 2000 });
    off();
    expect(events.length).toBeGreaterThanOrEqual(2);
    expect(events[0]).toMatchObject({ id: summary.id, fileName: 'p.csv', status: 'running', rowsRead: 0 });
    const last = events.at(-1)!;
    expect(last).toMatchObject({ status: 'completed', rowsRead: 20_000, imported: 20_000, rejected: 0, etaSeconds: 0 });
    expect(last.bytesRead).toBe(last.bytesTotal);
    expect(last.rowsPerSecond).toBeGreaterThan(0);
    const rows = events.map((e) => e.rowsRead);
    expect([...rows].sort((x, y) => x - y)).toEqual(rows);
  });
});

describe('the imports API', () => {
  it('starts an import at once, lists it, shows it with its rejections, refuses what it cannot cancel', async () => {
    server = await startTestServer();
    env = await importEnv();
    const path = env.file('api.csv', `${HEADER}\n${line(1, 's1')}\ne9,,v1,2025-01-01T00:00:00Z,/x,\n${line(2, 's1')}\n`);
    const started = await server.api<ImportRecord>('imports.start', { path });
    expect(started).toMatchObject({ fileName: 'api.csv', status: 'running', format: 'events/csv' });
    let detail: ImportDetail;
    for (;;) {
      detail = await server.api<ImportDetail>('imports.get', { id: started.id });
      if (detail.status !== 'running') break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(detail).toMatchObject({ status: 'completed', rowsRead: 3, imported: 2, rejected: 1, sessions: 1, visitors: 1 });
    expect(detail.rejections).toEqual([{ line: 3, unit: 'line', reason: 'no session id', raw: 'e9,,v1,2025-01-01T00:00:00Z,/x,' }]);
    expect((await server.api<ImportRecord[]>('imports.list', {})).map((r) => r.id)).toContain(started.id);
    await expect(server.api('imports.cancel', { id: started.id })).rejects.toThrow(/is not running \(completed\)/);
    await expect(server.api('imports.get', { id: 999 })).rejects.toMatchObject({ status: 404 });
    await expect(server.api('imports.start', { path: env.file('x.txt', 'hello') })).rejects.toThrow(/Not a recognised analytics export/);
    await expect(server.api('imports.start', { path })).resolves.toMatchObject({ status: 'running' });
  });

  it('cancels a running import through the API', async () => {
    server = await startTestServer();
    env = await importEnv();
    const path = env.file('long.csv', bigFile(300_000));
    const started = await server.api<ImportRecord>('imports.start', { path });
    const cancelled = await server.api<ImportRecord>('imports.cancel', { id: started.id });
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.rowsRead).toBeLessThan(300_000);
  });
});
