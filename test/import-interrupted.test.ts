// An import whose process dies (killed, crashed) must not stay "running" for ever: the next
// start closes it as failed, keeps what it stored, and importing the file again adds the rest.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../src/core/engine';
import { createImportRecords, INTERRUPTED } from '../src/core/sessions/records';
import type { ImportRecord } from '../src/shared/api/imports';
import { assertBuilt, paylensJson, spawnPaylens } from './helpers/cli';
import { DATABUDDY_HEADER, databuddyRow } from './helpers/imports';
import { startTestServer, tempDir } from './helpers/server';

beforeAll(() => assertBuilt());

const ROWS = 200_000;

/** Polls the store (its own read-only connection) until `check` returns a value. */
async function waitFor<T>(file: string, check: (db: BetterSqlite3.Database) => T | undefined, ms = 30_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    if (fs.existsSync(file)) {
      const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
      try {
        const value = check(db);
        if (value !== undefined) return value;
      } catch {
        // Tables not migrated yet.
      } finally {
        db.close();
      }
    }
    if (Date.now() - started > ms) throw new Error('timed out waiting for the import');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('an interrupted import', () => {
  it('is closed as failed at the next start, keeps its rows, and a re-import adds the rest', async () => {
    const dir = tempDir();
    const dataDir = path.join(dir, 'data');
    const file = path.join(dir, 'events.csv');
    const lines = [DATABUDDY_HEADER];
    for (let i = 0; i < ROWS; i++) lines.push(databuddyRow({ id: `e${i}`, session: `s${Math.floor(i / 4)}`, anon: `a${Math.floor(i / 8)}`, time: new Date(Date.UTC(2025, 0, 1) + i * 1000).toISOString(), path: `/p${i % 7}` }));
    fs.writeFileSync(file, lines.join('\n'));

    const importing = spawnPaylens(dataDir, ['import', file, '--data-dir', dataDir]);
    const database = path.join(dataDir, 'paylens.db');
    // Killed once it has stored some batches and before it is done.
    const stored = await waitFor(database, (db) => {
      const row = db.prepare("SELECT id, imported, pid FROM imports WHERE status = 'running'").get() as { id: number; imported: number; pid: number } | undefined;
      return row && row.imported > 0 ? row : undefined;
    });
    // A server on the same folder, started meanwhile, leaves the live import alone.
    const server = await startTestServer({ dataDir });
    expect(await server.api<ImportRecord>('imports.get', { id: stored.id })).toMatchObject({ status: 'running' });
    importing.child.kill('SIGKILL');
    await new Promise((resolve) => importing.child.once('exit', resolve));
    expect(stored.pid).toBe(importing.child.pid);

    // Once its process is gone, the next read shows it failed, with what it had stored.
    const record = await server.api<ImportRecord>('imports.get', { id: stored.id });
    const sessions = server.headless.engine.store.sqlite.prepare('SELECT count(*) AS n FROM analytics_sessions').get() as { n: number };
    await server.close();
    expect(record).toMatchObject({ status: 'failed', error: INTERRUPTED });
    expect(record.finishedAt).not.toBeNull();
    expect(record.imported).toBeGreaterThan(0);
    expect(record.imported).toBeLessThan(ROWS);
    expect(sessions.n).toBeGreaterThan(0);

    const again = paylensJson<{ status: string; imported: number; duplicates: number }>(dataDir, ['import', file, '--data-dir', dataDir]);
    expect(again.status).toBe('completed');
    expect(again.imported + again.duplicates).toBe(ROWS);
    expect(again.duplicates).toBeGreaterThanOrEqual(record.imported);
  }, 60_000);

  it('is closed at the next start when its process ended while nothing was running', async () => {
    const dataDir = tempDir();
    const engine = await createEngine({ dataDir });
    const records = createImportRecords(engine.store);
    const plan = { path: '/tmp/x.csv', fileName: 'x.csv', format: 'csv', size: 1 } as Parameters<typeof records.create>[0];
    // One recorded by this (running) process, one by a process that has exited since.
    const live = records.create(plan, Date.now());
    const orphan = records.create(plan, Date.now());
    const exited = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    engine.store.sqlite.prepare('UPDATE imports SET pid = ? WHERE id = ?').run(Number(exited.stdout), orphan.id);
    await engine.close();

    const next = await createEngine({ dataDir });
    const after = createImportRecords(next.store);
    expect(after.get(live.id)).toMatchObject({ status: 'running', error: null });
    expect(after.get(orphan.id)).toMatchObject({ status: 'failed', error: INTERRUPTED });
    await next.close();
  });
});
