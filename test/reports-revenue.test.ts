// Revenue, payment health and CSV on a hand-checked store: a DST change inside the range,
// a refund a day after its payment, one lost and one won dispute, JPY and KWD beside USD.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toCsv } from '../src/core/reports/csv';
import type { Reports } from '../src/core/reports/index';
import { reportTables } from '../src/core/reports/tables';
import { at, stripeStore } from './helpers/reports';
import { startTestServer, type TestServer } from './helpers/server';

const NY = 'America/New_York';
let server: TestServer;
let reports: Reports;

beforeAll(async () => {
  server = await startTestServer();
  reports = server.headless.engine.reports;
  const s = stripeStore(server);
  await s.pay('pi_kwd', { amount: 1230, currency: 'kwd', at: at('2026-03-06T12:00', NY) });
  await s.pay('pi_1', { amount: 10000, at: at('2026-03-07T23:30', NY), customer: 'cus_a' });
  // 00:30 on the 9th in EDT; a fixed EST offset would put it on the 8th.
  await s.pay('pi_2', { amount: 5000, at: at('2026-03-09T00:30', NY), email: 'b@example.com' });
  await s.pay('pi_jpy', { amount: 1500, currency: 'jpy', at: at('2026-03-08T10:00', NY) });
  await s.pay('pi_after', { amount: 999, at: at('2026-03-10T00:00', NY) });
  await s.invoicePaid('in_1', 2000, at('2026-03-09T09:00', NY), 'cus_a');
  await s.refund('re_1', 'pi_1', 2500, at('2026-03-08T12:00', NY));
  await s.refund('re_failed', 'pi_1', 100, at('2026-03-08T13:00', NY), 'usd', 'failed');
  await s.refund('re_later', 'pi_2', 700, at('2026-03-10T12:00', NY));
  await s.dispute('dp_lost', 'pi_2', 5000, at('2026-03-09T10:00', NY), 'lost');
  await s.dispute('dp_won', 'pi_jpy', 1500, at('2026-03-08T15:00', NY), 'won', 'jpy');
  await s.attempt('pi_failed', 'payment_intent.payment_failed', {
    amount: 4000, at: at('2026-03-08T11:00', NY), status: 'requires_payment_method',
    error: { code: 'card_declined', decline_code: 'insufficient_funds', message: 'Your card has insufficient funds.' },
  });
  await s.attempt('pi_action', 'payment_intent.requires_action', { amount: 3000, at: at('2026-03-08T11:30', NY), status: 'requires_action' });
  await s.attempt('pi_cancel', 'payment_intent.canceled', { amount: 3000, at: at('2026-03-09T11:30', NY), status: 'canceled' });
});
afterAll(async () => server?.close());

const revenue = (extra: Record<string, unknown> = {}) =>
  reports.revenue({ from: '2026-03-06', to: '2026-03-09', tz: NY, interval: 'day', ...extra });

describe('revenue', () => {
  it('puts each amount in its local day across the DST change, never summing currencies', () => {
    const { rows } = revenue();
    const pick = (period: string, currency: string) => rows.find((r) => r.period === period && r.currency === currency)!;
    expect(rows).toHaveLength(4 * 3);
    expect(pick('2026-03-06', 'kwd')).toMatchObject({ gross: 1230, payments: 1, net: 1230 });
    expect(pick('2026-03-07', 'usd')).toMatchObject({ gross: 10000, payments: 1, refunded: 0, net: 10000, average_order_value: 10000 });
    // The refund lands on the 8th, the day after its payment; the failed refund and the won dispute do not count.
    expect(pick('2026-03-08', 'usd')).toMatchObject({ gross: 0, payments: 0, refunded: 2500, refunds: 1, net: -2500, average_order_value: null });
    expect(pick('2026-03-08', 'jpy')).toMatchObject({ gross: 1500, payments: 1, disputed: 0, net: 1500 });
    expect(pick('2026-03-09', 'usd')).toMatchObject({ gross: 7000, payments: 2, disputed: 5000, net: 2000, average_order_value: 3500 });
    // 8 March is 23 hours long in New York.
    const starts = rows.filter((r) => r.currency === 'usd').map((r) => r.period_start);
    expect(starts.map((s, i) => (i ? (s - starts[i - 1]) / 3_600_000 : 0))).toEqual([0, 24, 24, 23]);
  });

  it('totals per currency, AOV = gross / payments', () => {
    expect(revenue().totals).toEqual([
      { currency: 'jpy', gross: 1500, refunded: 0, disputed: 0, net: 1500, payments: 1, refunds: 0, average_order_value: 1500 },
      { currency: 'kwd', gross: 1230, refunded: 0, disputed: 0, net: 1230, payments: 1, refunds: 0, average_order_value: 1230 },
      { currency: 'usd', gross: 17000, refunded: 2500, disputed: 5000, net: 9500, payments: 3, refunds: 1, average_order_value: 5667 },
    ]);
  });

  it('filters by currency and groups by ISO week and month', () => {
    expect(revenue({ currency: 'usd' }).rows.every((r) => r.currency === 'usd')).toBe(true);
    const weeks = reports.revenue({ from: '2026-03-06', to: '2026-03-10', tz: NY, interval: 'week', currency: 'usd' }).rows;
    // Friday 6 March is in week 10; Monday 9 March starts week 11.
    expect(weeks.map((w) => [w.period, w.gross, w.refunded])).toEqual([
      ['2026-W10', 10000, 2500],
      ['2026-W11', 7999, 700],
    ]);
    const months = reports.revenue({ from: '2026-03-01', to: '2026-03-31', tz: NY, interval: 'month' }).rows;
    expect(months.map((m) => [m.period, m.currency, m.net])).toEqual([
      ['2026-03', 'jpy', 1500],
      ['2026-03', 'kwd', 1230],
      ['2026-03', 'usd', 17999 - 2500 - 700 - 5000],
    ]);
  });

  it('in another zone the same instants fall on other days', () => {
    const utc = reports.revenue({ from: '2026-03-08', to: '2026-03-08', tz: 'UTC', interval: 'day', currency: 'usd' }).totals[0];
    // pi_1 was 04:30 UTC on the 8th; the refund 16:00 UTC.
    expect(utc).toMatchObject({ gross: 10000, refunded: 2500 });
  });

  it('writes CSV amounts with each currency’s digits', () => {
    const csv = toCsv(reportTables.revenue(revenue()).tables.totals).split('\r\n');
    expect(csv[0]).toBe('currency,gross,refunded,disputed,net,payments,refunds,average_order_value');
    expect(csv.slice(1, 4)).toEqual([
      'jpy,1500,0,0,1500,1,0,1500',
      'kwd,1.230,0.000,0.000,1.230,1,0,1.230',
      'usd,170.00,25.00,50.00,95.00,3,1,56.67',
    ]);
    const day = toCsv(reportTables.revenue(revenue({ currency: 'usd' })).tables.rows).split('\r\n');
    expect(day).toContain('2026-03-08,usd,0.00,25.00,0.00,-25.00,0,1,');
  });
});

describe('payment health', () => {
  it('counts attempts by outcome, failure and decline codes', () => {
    const { rows } = reports.payments({ from: '2026-03-06', to: '2026-03-09', tz: NY });
    const status = rows.find((r) => r.section === 'status' && r.currency === 'usd')!;
    expect(status).toMatchObject({ attempts: 5, succeeded: 2, failed: 1, canceled: 1, requires_action: 1, other: 0, succeeded_amount: 15000 });
    expect(status.success_rate).toBeCloseTo(0.4, 10);
    expect(rows.find((r) => r.section === 'failure_code')).toMatchObject({ value: 'card_declined', attempts: 1, failed: 1 });
    expect(rows.find((r) => r.section === 'decline_code')).toMatchObject({ value: 'insufficient_funds', attempts: 1 });
    expect(rows.find((r) => r.section === 'status' && r.currency === 'jpy')).toMatchObject({ attempts: 1, succeeded: 1, succeeded_amount: 1500 });
  });

  it('the raw payment list carries refunds, lost disputes and the unattributed reason', () => {
    const list = reports.paymentList({ from: '2026-03-06', to: '2026-03-10', tz: NY });
    const p2 = list.find((p) => p.id === 'pi_2')!;
    expect(p2).toMatchObject({ amount_received: 5000, amount_refunded: 700, amount_disputed_lost: 5000, net: -700, unattributed_reason: 'No session_id in payment metadata' });
    expect(list.find((p) => p.id === 'in_1')).toMatchObject({ kind: 'invoice', amount_received: 2000, customer: 'cus_a' });
  });
});
