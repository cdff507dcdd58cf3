// Group commit on a real store file: each caller's own outcome, the busy timeout kept, and
// checkpoints on the worker thread (the WAL starts over; SQLite's own checkpoints take over
// when the worker cannot run; closing stops the worker so the process can end).
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RESTART_FRAMES } from '../src/core/db/checkpoint-schedule';
import { BACKSTOP_AUTOCHECKPOINT_PAGES } from '../src/core/db/checkpointer';
import { createGroupCommitter, type GroupCommitter } from '../src/core/db/group-commit';
import { openStore, type Store } from '../src/core/db/store';
import { tempDir } from './helpers/server';

const PAGE = 4096;
/** A WAL frame: a 24-byte header and one page. */
const FRAME = PAGE + 24;
let opened: Array<{ store: Store; commits: GroupCommitter }> = [];

async function open() {
  const store = await openStore(path.join(tempDir('paylens-commit-'), 'paylens.db'), { synchronous: 'NORMAL' });
  const commits = createGroupCommitter(store);
  opened.push({ store, commits });
  return { store, commits };
}

afterEach(async () => {
  for (const { store, commits } of opened) {
    await commits.drain();
    await commits.close();
    store.close();
  }
  opened = [];
});

/** One batch per turn: each write is a page-sized row, so every batch writes WAL frames. */
async function writeBatches(store: Store, commits: GroupCommitter, batches: number, from = 0) {
  const insert = store.sqlite.prepare('INSERT INTO settings (key, value) VALUES (?, ?)');
  for (let b = from; b < from + batches; b += 1)
    await Promise.all([0, 1, 2].map((i) => commits.submit(() => insert.run(`k${b}-${i}`, 'x'.repeat(PAGE)))));
}

describe('group commit', () => {
  it('gives each caller in a batch its own result or error: a failing piece loses only itself', async () => {
    const { store, commits } = await open();
    const insert = store.sqlite.prepare('INSERT INTO settings (key, value) VALUES (?, ?)');
    const results = await Promise.allSettled([
      commits.submit(() => insert.run('a', '1').changes),
      commits.submit(() => insert.run('a', 'again').changes),
      commits.submit(() => insert.run('b', '2').changes),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason.code).toBe('SQLITE_CONSTRAINT_PRIMARYKEY');
    expect(store.sqlite.prepare('SELECT key, value FROM settings ORDER BY key').all()).toEqual([
      { key: 'a', value: '1' },
      { key: 'b', value: '2' },
    ]);
    // Batches try the lock without SQLite's busy wait; every other statement keeps it.
    expect(store.sqlite.pragma('busy_timeout', { simple: true })).toBe(5000);
  });

  it('checkpoints on the worker thread as commits go on, so the WAL starts over instead of growing', async () => {
    const { store, commits } = await open();
    const wal = `${store.file}-wal`;
    // Commits go on while the worker starts (slower under load) and runs its first checkpoint.
    let batches = 0;
    const deadline = Date.now() + 20_000;
    while (commits.checkpoints().completed === 0 && Date.now() < deadline) {
      await writeBatches(store, commits, 50, batches);
      batches += 50;
    }
    const { completed, failure } = commits.checkpoints();
    expect(failure).toBeNull();
    expect(completed).toBeGreaterThan(0);
    // The commits after a complete checkpoint write from the start of the WAL again.
    await writeBatches(store, commits, 10, batches);
    batches += 10;
    // The WAL started over after a checkpoint: it holds fewer frames than its file has room for
    // (SQLite reuses the file from the start instead of truncating it).
    const [{ log }] = store.sqlite.pragma('wal_checkpoint(PASSIVE)') as Array<{ log: number }>;
    expect(log * FRAME).toBeLessThan(fs.statSync(wal).size);
    // Nothing was lost on the way.
    expect(store.sqlite.prepare('SELECT count(*) AS n FROM settings').get()).toEqual({ n: batches * 3 });
  });

  it('keeps the WAL short while commits never pause: it starts over instead of growing to the serving connection\'s own checkpoint', async () => {
    const { store, commits } = await open();
    // The worker starts with the first checkpoint (slower under load): from then on it keeps up.
    const deadline = Date.now() + 20_000;
    for (let b = 0; commits.checkpoints().completed === 0 && Date.now() < deadline; b += 50) await writeBatches(store, commits, 50, b);
    const insert = store.sqlite.prepare('INSERT INTO settings (key, value) VALUES (?, ?)');
    // Eight writers, each submitting again as soon as its last write is on disk, as busy
    // webhook connections do: a commit is always in flight.
    const writer = async (id: number) => {
      for (let n = 0; n < 600; n += 1) await commits.submit(() => insert.run(`w${id}-${n}`, 'x'.repeat(PAGE)));
    };
    await Promise.all([0, 1, 2, 3, 4, 5, 6, 7].map(writer));
    // 4,800 page-sized rows (more frames than the backstop allows) went through a WAL that
    // started over each time it grew past RESTART_FRAMES, never near the backstop. (The file
    // keeps its largest size: SQLite writes it again from the start instead of truncating it.)
    const frames = fs.statSync(`${store.file}-wal`).size / FRAME;
    expect(RESTART_FRAMES).toBeLessThan(BACKSTOP_AUTOCHECKPOINT_PAGES / 3);
    expect(frames).toBeLessThan(0.8 * BACKSTOP_AUTOCHECKPOINT_PAGES);
    expect(commits.checkpoints().failure).toBeNull();
    expect(store.sqlite.prepare(`SELECT count(*) AS n FROM settings WHERE key LIKE 'w%'`).get()).toEqual({ n: 4800 });
  });

  it('goes back to SQLite\'s own checkpoints when the worker cannot run, and commits go on', async () => {
    const { store, commits } = await open();
    // The worker opens the database by its path; with the file gone it fails at start, while
    // this connection keeps the open file.
    fs.rmSync(store.file);
    let batches = 0;
    const deadline = Date.now() + 20_000;
    while (commits.checkpoints().failure === null && Date.now() < deadline) {
      await writeBatches(store, commits, 20, batches);
      batches += 20;
    }
    expect(commits.checkpoints()).toEqual({ completed: 0, failure: 'unable to open database file' });
    expect(store.sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    await writeBatches(store, commits, 5, batches);
    expect(store.sqlite.prepare('SELECT count(*) AS n FROM settings').get()).toEqual({ n: (batches + 5) * 3 });
  });

  it('stops the checkpoint worker on close, so a process that closes its store ends on its own', async () => {
    const dir = tempDir('paylens-commit-exit-');
    const script = `
      const path = require('node:path');
      const { openStore } = require(${JSON.stringify(path.resolve('src/core/db/store.ts'))});
      const { createGroupCommitter } = require(${JSON.stringify(path.resolve('src/core/db/group-commit.ts'))});
      (async () => {
        const store = await openStore(path.join(${JSON.stringify(dir)}, 'paylens.db'), { synchronous: 'NORMAL' });
        const commits = createGroupCommitter(store);
        const insert = store.sqlite.prepare('INSERT INTO settings (key, value) VALUES (?, ?)');
        const deadline = Date.now() + 20000;
        for (let b = 0; commits.checkpoints().completed === 0 && Date.now() < deadline; b += 1)
          await commits.submit(() => insert.run('k' + b, 'x'.repeat(4096)));
        await commits.drain();
        await commits.close();
        store.close();
        console.log(JSON.stringify({ closed: true, ...commits.checkpoints() }));
      })();`;
    const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      execFile(process.execPath, ['--import', 'tsx', '-e', script], { timeout: 30_000 }, (error, out) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? -1) : 0, stdout: out }),
      );
    });
    expect(code).toBe(0);
    const printed = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as { closed?: boolean; completed?: number; failure?: string | null };
    expect(printed).toMatchObject({ closed: true, failure: null });
    expect(printed.completed).toBeGreaterThan(0);
  });
});
