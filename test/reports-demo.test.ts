// The demo store: same seed, same store; every report filled; the delivery log fills too.
import { describe, expect, it } from 'vitest';
import { createEngine } from '../src/core/engine';
import { buildDemo } from '../src/core/demo/index';
import { startWebhookListener } from '../src/server/webhook-listener';
import { tempDir } from './helpers/server';

const END = Math.floor(Date.parse('2026-03-01T00:00:00Z') / 1000);
const RANGE = { from: '2026-02-01', to: '2026-02-28', tz: 'UTC' };

async function demo(seed: number) {
  const engine = await createEngine({ dataDir: tempDir() });
  try {
    const summary = await buildDemo(engine, { days: 14, seed, end: END, listen: (r) => startWebhookListener(r, { port: 0, host: '127.0.0.1' }) });
    const { reports } = engine;
    const revenue = reports.revenue({ ...RANGE, interval: 'week' });
    const attribution = reports.attribution({ ...RANGE, by: 'utm_source', model: 'linear', lookbackDays: 30 });
    const health = reports.payments(RANGE);
    const subs = reports.subscriptions({ ...RANGE, interval: 'month' });
    const disputes = engine.store.sqlite.prepare('SELECT status FROM disputes ORDER BY status').pluck().all();
    const deliveries = engine.deliveries.list({ limit: 1000, failedOnly: false }).length;
    return { summary, revenue, attribution, health, subs, disputes, deliveries };
  } finally {
    await engine.close();
  }
}

describe('paylens demo', () => {
  it('builds the same store from the same seed, with every kind of data', async () => {
    const a = await demo(5);
    const b = await demo(5);
    expect({ ...b, summary: { ...b.summary } }).toEqual(a);
    expect(a.summary.failedDeliveries).toBe(0);
    expect(a.deliveries).toBeGreaterThan(500);
    expect(a.revenue.totals.map((t) => t.currency)).toEqual(['jpy', 'usd']);
    const usd = a.revenue.totals.find((t) => t.currency === 'usd')!;
    expect(usd.payments).toBeGreaterThan(100);
    expect(usd.refunds).toBeGreaterThan(0);
    expect(a.disputes).toEqual(['lost', 'won']);
    const status = a.health.rows.filter((r) => r.section === 'status').reduce((s, r) => ({ failed: s.failed + r.failed, action: s.action + r.requires_action + r.canceled }), { failed: 0, action: 0 });
    expect(status.failed).toBeGreaterThan(0);
    expect(status.action).toBeGreaterThan(0);
    expect(a.attribution.rows.filter((r) => !r.value.startsWith('(')).length).toBeGreaterThan(3);
    expect(a.subs.summary[0].mrr).toBeGreaterThan(0);
    const c = await demo(6);
    expect(c.revenue.totals).not.toEqual(a.revenue.totals);
  }, 120_000);
});
