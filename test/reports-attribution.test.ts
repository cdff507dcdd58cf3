// Attribution models on hand-checked visitors with one, two and four touchpoints, a session
// outside the lookback, unattributed payments, totals equal to revenue, and refresh on new data.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reports } from '../src/core/reports/index';
import type { AttributionModel } from '../src/shared/api/reports';
import { at, insertSessions, stripeStore } from './helpers/reports';
import { startTestServer, type TestServer } from './helpers/server';

const DAY = 86_400;
let server: TestServer;
let reports: Reports;
let s: ReturnType<typeof stripeStore>;

const PAID_A = at('2026-04-25T12:00');
const PAID_B = at('2026-04-20T12:00');
const PAID_C = at('2026-04-10T12:00');

beforeAll(async () => {
  server = await startTestServer();
  reports = server.headless.engine.reports;
  s = stripeStore(server);
  insertSessions(server, [
    { session_id: 'a0', anonymous_id: 'vis_4', started_at: PAID_A - 40 * DAY, utm_source: 'bing' },
    { session_id: 'a1', anonymous_id: 'vis_4', started_at: PAID_A - 20 * DAY, utm_source: 'google' },
    { session_id: 'a2', anonymous_id: 'vis_4', started_at: PAID_A - 10 * DAY, utm_source: 'facebook' },
    { session_id: 'a3', anonymous_id: 'vis_4', started_at: PAID_A - 3 * DAY, utm_source: 'newsletter' },
    { session_id: 'a4', anonymous_id: 'vis_4', started_at: PAID_A - 3600, utm_source: 'google' },
    { session_id: 'b1', anonymous_id: 'vis_2', started_at: PAID_B - 7 * DAY, utm_source: 'twitter' },
    { session_id: 'b2', anonymous_id: 'vis_2', started_at: PAID_B, utm_source: '' },
    { session_id: 'c1', anonymous_id: 'vis_1', started_at: PAID_C - 7200, utm_source: 'facebook' },
    // Another visitor's later session must never count for vis_4.
    { session_id: 'x1', anonymous_id: 'vis_x', started_at: PAID_A - 60, utm_source: 'tiktok' },
  ]);
  await s.pay('pi_a', { amount: 10000, at: PAID_A, metadata: { session_id: 'a4', campaign: 'spring' } });
  await s.pay('pi_b', { amount: 1001, at: PAID_B, metadata: { session_id: 'b2', anonymous_id: 'vis_2' } });
  await s.pay('pi_c', { amount: 3000, at: PAID_C, metadata: { session_id: 'c1' } });
  await s.pay('pi_d', { amount: 700, at: at('2026-04-11T00:00') });
  await s.pay('pi_e', { amount: 800, at: at('2026-04-12T00:00'), metadata: { session_id: 'sess_missing' } });
  await s.pay('pi_jpy', { amount: 5000, currency: 'jpy', at: at('2026-04-12T00:00'), metadata: { session_id: 'c1' } });
  // A refund long after the range still lowers the payment's net.
  await s.refund('re_a', 'pi_a', 1000, at('2026-06-01T00:00'));
});
afterAll(async () => server?.close());

const RANGE = { from: '2026-04-01', to: '2026-04-30', tz: 'UTC' };
const attribution = (model: AttributionModel, extra: Record<string, unknown> = {}) =>
  reports.attribution({ ...RANGE, by: 'utm_source', model, lookbackDays: 30, currency: 'usd', ...extra });
const table = (model: AttributionModel, extra: Record<string, unknown> = {}) =>
  Object.fromEntries(attribution(model, extra).rows.map((r) => [r.value, [Number(r.payments.toFixed(6)), r.gross]]));

describe('attribution models', () => {
  it('last touch', () => {
    expect(table('last_touch')).toEqual({ google: [1, 10000], '(none)': [1, 1001], facebook: [1, 3000], '(unattributed)': [2, 1500] });
  });

  it('first touch ignores the session 40 days back', () => {
    expect(table('first_touch')).toEqual({ google: [1, 10000], twitter: [1, 1001], facebook: [1, 3000], '(unattributed)': [2, 1500] });
  });

  it('linear: equal weights, leftover unit to the later touchpoint', () => {
    // pi_a: 4 × 0.25; pi_b: 500.5 each, the odd cent to the converting session.
    expect(table('linear')).toEqual({ google: [0.5, 5000], facebook: [1.25, 5500], newsletter: [0.25, 2500], twitter: [0.5, 500], '(none)': [0.5, 501], '(unattributed)': [2, 1500] });
  });

  it('position based: 40/20/40 over four, 50/50 over two, 100% over one', () => {
    expect(table('position_based')).toEqual({ google: [0.8, 8000], facebook: [1.1, 4000], newsletter: [0.1, 1000], twitter: [0.5, 500], '(none)': [0.5, 501], '(unattributed)': [2, 1500] });
  });

  it('time decay: 2^(-age/7 days), normalised', () => {
    // pi_a ages 20 d, 10 d, 3 d, 1 h → weights 0.0613822, 0.1652287, 0.3304575, 0.4429315:
    // millionths 61382, 165229 (+1 leftover), 330457, 442932 (+1); cents 614 (+1), 1652, 3305 (+1), 4429.
    // pi_b ages 7 d and 0 → 1/3, 2/3: 333.67 → 334, 667.33 → 667.
    expect(table('time_decay')).toEqual({
      google: [0.504314, 614 + 4429],
      newsletter: [0.330457, 3305],
      facebook: [1.165229, 1652 + 3000],
      twitter: [0.333333, 334],
      '(none)': [0.666667, 667],
      '(unattributed)': [2, 1500],
    });
  });

  it('a shorter lookback drops older touchpoints; a longer one reaches them', () => {
    expect(table('first_touch', { lookbackDays: 5 }).newsletter).toEqual([1, 10000]);
    expect(table('first_touch', { lookbackDays: 60 }).bing).toEqual([1, 10000]);
  });

  it('payment metadata dimensions come from the payment', () => {
    expect(Object.fromEntries(attribution('linear', { by: 'campaign' }).rows.map((r) => [r.value, r.gross]))).toEqual({ spring: 10000, '(none)': 4001, '(unattributed)': 1500 });
  });
});

describe('totals and net', () => {
  it('every model sums back to the revenue report for the same range, per currency', () => {
    const totals = reports.revenue({ ...RANGE, interval: 'day' }).totals;
    for (const model of ['last_touch', 'first_touch', 'linear', 'position_based', 'time_decay'] as const) {
      const rows = reports.attribution({ ...RANGE, by: 'utm_source', model, lookbackDays: 30 }).rows;
      for (const t of totals) {
        const mine = rows.filter((r) => r.currency === t.currency);
        expect(Number(mine.reduce((a, r) => a + r.payments, 0).toFixed(6))).toBe(t.payments);
        expect(mine.reduce((a, r) => a + r.gross, 0)).toBe(t.gross);
      }
    }
    expect(totals.map((t) => [t.currency, t.payments, t.gross])).toEqual([['jpy', 1, 5000], ['usd', 5, 15501]]);
  });

  it('net subtracts refunds to date; share is the part of the currency net', () => {
    const rows = attribution('last_touch').rows;
    const google = rows.find((r) => r.value === 'google')!;
    expect(google.net).toBe(9000);
    expect(google.share).toBeCloseTo(9000 / 14501, 12);
    expect(rows.reduce((a, r) => a + (r.share ?? 0), 0)).toBeCloseTo(1, 12);
  });

  it('explains unattributed payments', () => {
    expect(attribution('last_touch').unattributed).toEqual([
      { reason: 'No session_id in payment metadata', currency: 'usd', payments: 1, gross: 700, net: 700 },
      { reason: 'Session not in the imported analytics data', currency: 'usd', payments: 1, gross: 800, net: 800 },
    ]);
  });
});

describe('precomputed touchpoints stay right', () => {
  it('follow new sessions, new payments and new refunds', async () => {
    expect(table('first_touch').facebook).toEqual([1, 3000]);
    insertSessions(server, [{ session_id: 'c0', anonymous_id: 'vis_1', started_at: PAID_C - 5 * DAY, utm_source: 'reddit' }]);
    expect(table('first_touch').reddit).toEqual([1, 3000]);
    // The missing session arrives in a later import: the payment becomes attributed.
    insertSessions(server, [{ session_id: 'sess_missing', anonymous_id: 'vis_9', started_at: at('2026-04-11T23:00'), utm_source: 'podcast' }]);
    expect(table('last_touch').podcast).toEqual([1, 800]);
    await s.pay('pi_f', { amount: 1234, at: at('2026-04-28T00:00'), metadata: { session_id: 'a4' } });
    expect(table('last_touch').google).toEqual([2, 11234]);
    await s.refund('re_f', 'pi_f', 234, at('2026-04-29T00:00'));
    expect(attribution('last_touch').rows.find((r) => r.value === 'google')!.net).toBe(9000 + 1000);
  });
});

describe('journey', () => {
  it('lists the visitor’s sessions, the payment and its refund in time order', () => {
    const j = reports.journey({ payment: 'pi_a', tz: 'UTC', lookbackDays: 30 });
    expect(j.visitor).toBe('vis_4');
    expect(j.rows.map((r) => [r.kind, r.id, r.touchpoint])).toEqual([
      ['session', 'a0', false],
      ['session', 'a1', true],
      ['session', 'a2', true],
      ['session', 'a3', true],
      ['session', 'a4', true],
      ['payment', 'pi_a', false],
      ['refund', 're_a', false],
    ]);
    expect(reports.journey({ payment: 'pi_d', lookbackDays: 30 }).unattributedReason).toBe('No session_id in payment metadata');
  });
});
