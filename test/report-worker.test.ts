// Reports asked through the API run on the report worker thread: the same answers as on the
// engine's thread, errors with their status, and the serving thread free while a report waits.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseFile, reportCacheFile } from '../src/core/config/data-dir';
import type { Store } from '../src/core/db/store';
import { createEngine } from '../src/core/engine';
import { createReportRunner } from '../src/core/reports/report-worker';
import { fixture, makeEvent } from './helpers/fixtures';
import { closeConnection, otherReportConnection } from './helpers/reports';
import { startTestServer, tempDir, type TestServer } from './helpers/server';
import { at, uid } from './helpers/state';

let server: TestServer;
let other: Store;
beforeAll(async () => {
  server = await startTestServer();
  other = otherReportConnection(server.headless.engine.dataDir);
});
afterAll(async () => {
  closeConnection(other);
  await server?.close();
});

const paid = (amount: number) =>
  makeEvent('payment_intent.succeeded', fixture('payment_intent', { id: uid('pi'), status: 'succeeded', amount, amount_received: amount, currency: 'usd', metadata: { client_id: 'c' } }), { created: at(0) });

const apiStatus = (promise: Promise<unknown>) => promise.then(() => 200, (error: { status?: number }) => error.status);

describe('reports through the API', () => {
  it('answer as the reports on the engine thread do', async () => {
    expect((await server.deliver(paid(1500))).status).toBe(200);
    const input = { interval: 'day' as const, tz: 'UTC' };
    const viaApi = await server.api('reports.revenue', input);
    expect(viaApi).toEqual(JSON.parse(JSON.stringify(server.headless.engine.reports.revenue(input))));
    expect(viaApi).toMatchObject({ totals: [expect.objectContaining({ currency: 'usd', gross: expect.any(Number) })] });
  });

  it('answer bad input with 400 and an unknown payment with 404, in plain words', async () => {
    await expect(server.api('reports.revenue', { tz: 'Mars/Olympus' })).rejects.toMatchObject({ status: 400, message: expect.stringContaining('unknown time zone') });
    await expect(server.api('reports.journey', { payment: 'pi_missing' })).rejects.toMatchObject({ status: 404, message: 'No payment with id pi_missing' });
  });

  it('keep the serving thread free while a report waits for the report cache', async () => {
    expect((await server.deliver(paid(2500))).status).toBe(200);
    // Another process is rebuilding: the report below must wait for the cache file's lock.
    other.sqlite.exec('BEGIN');
    other.sqlite.exec('DELETE FROM report_payments');
    const report = server.api<{ totals: Array<{ gross: number }> }>('reports.revenue', { interval: 'day', tz: 'UTC' });
    const settled = apiStatus(report);

    const health = await fetch(`${server.headless.webhook.url}/health`);
    expect(health.status).toBe(200);
    expect((await server.deliver(paid(700))).status).toBe(200);
    expect(await Promise.race([settled, new Promise((resolve) => setTimeout(() => resolve('waiting'), 200))])).toBe('waiting');

    other.sqlite.exec('ROLLBACK');
    expect(await settled).toBe(200);
    const gross = (await report).totals.reduce((sum, t) => sum + t.gross, 0);
    expect(gross).toBe(server.headless.engine.reports.revenue({ interval: 'day', tz: 'UTC' }).totals.reduce((sum, t) => sum + t.gross, 0));
  });
});

describe('the report runner', () => {
  it("takes default ranges from the engine's clock", async () => {
    const engine = await createEngine({ dataDir: tempDir('paylens-report-clock-'), now: () => Date.UTC(2024, 1, 29, 12) });
    try {
      const out = await engine.reportRunner.run('revenue', { interval: 'day', tz: 'UTC' });
      expect(out.range).toEqual({ from: '2024-01-31', to: '2024-02-29', tz: 'UTC' });
    } finally {
      await engine.close();
    }
  });

  // A missing bundle fails at start; a worker that cannot load what it runs (say SQLite's native
  // module) fails after it started, before it says it is ready.
  it.each([
    ['cannot start', 'missing-entry.ts', null],
    ['cannot load what it runs', 'failing-entry.ts', "throw new Error('cannot load the native module');"],
  ])('runs reports on the engine thread where its worker %s', async (_, source, code) => {
    const dataDir = tempDir('paylens-report-runner-');
    if (code) fs.writeFileSync(path.join(dataDir, source), code);
    const engine = await createEngine({ dataDir });
    const files = { cacheFile: reportCacheFile(dataDir), databaseFile: databaseFile(dataDir) };
    const runner = createReportRunner(files, () => engine.reports, Date.now, { dir: dataDir, source, bundle: 'missing-worker.js' });
    try {
      await expect(runner.run('revenue', { interval: 'day', tz: 'UTC' })).resolves.toMatchObject({ totals: [] });
      await expect(runner.run('revenue', { interval: 'day', tz: 'Mars/Olympus' })).rejects.toThrow('unknown time zone');
    } finally {
      await runner.close();
      await engine.close();
    }
  });
});
