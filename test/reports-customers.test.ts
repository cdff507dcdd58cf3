// Customers, subscriptions (MRR movements), conversion and CSV injection on small hand-checked stores.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toCsv } from '../src/core/reports/csv';
import type { Reports } from '../src/core/reports/index';
import { splitWhole } from '../src/core/reports/models';
import { reportTables } from '../src/core/reports/tables';
import { at, insertSessions, stripeStore } from './helpers/reports';
import { startTestServer, type TestServer } from './helpers/server';

let server: TestServer;
let reports: Reports;

beforeAll(async () => {
  server = await startTestServer();
  reports = server.headless.engine.reports;
  const s = stripeStore(server);
  insertSessions(server, [
    { session_id: 's1', anonymous_id: 'v1', started_at: at('2026-01-05T09:00'), utm_source: 'google', country: 'DE' },
    { session_id: 's2', anonymous_id: 'v1', started_at: at('2026-02-10T09:00'), utm_source: 'newsletter', country: 'DE' },
    { session_id: 's3', anonymous_id: 'v2', started_at: at('2026-01-20T09:00'), utm_source: '=HYPERLINK("http://evil","x")', country: 'FR' },
    { session_id: 's4', anonymous_id: 'v3', started_at: at('2026-01-21T09:00'), utm_source: 'google', country: 'FR' },
    { session_id: 's5', anonymous_id: 'v3', started_at: at('2026-01-22T09:00'), utm_source: '-2+3', country: 'FR' },
  ]);
  // cus_1 buys in January and again in March; an email-only buyer; a visitor-only buyer.
  await s.pay('p1', { amount: 5000, at: at('2026-01-05T10:00'), customer: 'cus_1', metadata: { session_id: 's1' } });
  await s.pay('p2', { amount: 3000, at: at('2026-03-07T10:00'), customer: 'cus_1', metadata: { session_id: 's2' } });
  await s.refund('r2', 'p2', 1000, at('2026-03-08T10:00'));
  await s.pay('p3', { amount: 2000, at: at('2026-01-20T10:00'), email: 'Buyer@Example.com', metadata: { session_id: 's3' } });
  await s.pay('p4', { amount: 1500, at: at('2026-02-01T10:00'), email: 'buyer@example.com', metadata: { session_id: 's3' } });
  await s.pay('p5', { amount: 900, at: at('2026-01-22T10:00'), metadata: { session_id: 's5' } });
  // cus_a: starts at 20.00, goes to 2 seats, down to 30.00, cancels, comes back; cus_b joins in April.
  await s.subscription('customer.subscription.created', 'sub_a', 'cus_a', 'active', 2000, 1, at('2026-03-01T00:00'));
  await s.subscription('customer.subscription.updated', 'sub_a', 'cus_a', 'active', 2000, 2, at('2026-03-10T00:00'));
  await s.subscription('customer.subscription.updated', 'sub_a', 'cus_a', 'active', 1500, 2, at('2026-04-02T00:00'));
  await s.subscription('customer.subscription.deleted', 'sub_a', 'cus_a', 'canceled', 1500, 2, at('2026-04-15T00:00'));
  await s.subscription('customer.subscription.created', 'sub_b', 'cus_b', 'active', 1000, 1, at('2026-04-20T00:00'));
  await s.subscription('customer.subscription.created', 'sub_t', 'cus_t', 'trialing', 5000, 1, at('2026-04-21T00:00'));
  await s.subscription('customer.subscription.created', 'sub_a2', 'cus_a', 'active', 2000, 1, at('2026-05-05T00:00'));
});
afterAll(async () => server?.close());

const RANGE = { from: '2026-01-01', to: '2026-03-31', tz: 'UTC' };

describe('customers', () => {
  it('groups payments by customer id, else email, else visitor', () => {
    const out = reports.customers({ ...RANGE, by: 'utm_source', lookbackDays: 30 });
    expect(out.rows.map((r) => [r.customer, r.customer_kind, r.first_purchase, r.orders, r.gross, r.net, r.acquisition_source])).toEqual([
      ['cus_1', 'customer', '2026-01-05', 2, 8000, 7000, 'google'],
      ['buyer@example.com', 'email', '2026-01-20', 2, 3500, 3500, '=HYPERLINK("http://evil","x")'],
      ['v3', 'visitor', '2026-01-22', 1, 900, 900, 'google'],
    ]);
    const [summary] = out.summary;
    expect(summary).toMatchObject({ currency: 'usd', customers: 3, orders: 5, repeat_customers: 2, net: 11400, average_lifetime_value: 3800 });
    expect(summary.repeat_purchase_rate).toBeCloseTo(2 / 3, 12);
    expect(summary.purchase_frequency).toBeCloseTo(5 / 3, 12);
    // Gaps: 5 Jan → 7 Mar is 61 days; 20 Jan → 1 Feb is 12 days.
    expect(summary.average_days_between_purchases).toBeCloseTo((61 + 12) / 2, 12);
    expect(out.ltv.find((l) => l.acquisition_source === 'google')).toMatchObject({ customers: 2, net: 7900, average_lifetime_value: 3950 });
    expect(out.cohorts.map((c) => [c.cohort, c.months_since, c.customers, c.net])).toEqual([
      ['2026-01', 0, 3, 5000 + 2000 + 900],
      ['2026-01', 1, 1, 1500],
      ['2026-01', 2, 1, 2000],
    ]);
  });
});

describe('subscriptions', () => {
  it('classifies MRR movements per month and ends with the right MRR', () => {
    const out = reports.subscriptions({ from: '2026-03-01', to: '2026-05-31', tz: 'UTC', interval: 'month' });
    expect(out.rows.map((r) => [r.period, r.new, r.expansion, r.contraction, r.churn, r.reactivation, r.net_new, r.mrr_end])).toEqual([
      ['2026-03', 2000, 2000, 0, 0, 0, 4000, 4000],
      ['2026-04', 1000, 0, -1000, -3000, 0, -3000, 1000],
      ['2026-05', 0, 0, 0, 0, 2000, 2000, 3000],
    ]);
    expect(out.summary[0]).toMatchObject({ active_subscriptions: 3, active_customers: 2, mrr: 3000, arpa: 1500, customers_at_start: 0, customer_churn_rate: null });
  });

  it('churn rate counts customers paying at the start who left', () => {
    const [summary] = reports.subscriptions({ from: '2026-04-01', to: '2026-04-30', tz: 'UTC', interval: 'month' }).summary;
    expect(summary).toMatchObject({ customers_at_start: 1, churned_customers: 1, customer_churn_rate: 1, mrr: 1000 });
  });
});

describe('conversion', () => {
  it('counts sessions, visitors and conversions per value', () => {
    const rows = reports.conversion({ ...RANGE, by: 'country' });
    expect(rows.rows.map((r) => [r.value, r.sessions, r.visitors, r.converting_sessions, r.converting_visitors, r.revenue, r.revenue_per_visitor])).toEqual([
      ['FR', 3, 2, 2, 2, 4400, 2200],
      ['DE', 2, 1, 2, 1, 8000, 8000],
    ]);
    expect(rows.rows[0].conversion_rate).toBe(1);
  });
});

describe('CSV', () => {
  it('defuses formula cells from outside data, writes negative amounts as numbers', () => {
    const customers = toCsv(reportTables.customers(reports.customers({ ...RANGE, by: 'utm_source', lookbackDays: 30 })).tables.rows);
    expect(customers).toContain(`buyer@example.com,email,usd,2026-01-20,2026-02-01,2,35.00,35.00,"'=HYPERLINK(""http://evil"",""x"")"\r\n`);
    const first = toCsv(reportTables.attribution(reports.attribution({ ...RANGE, by: 'utm_source', model: 'last_touch', lookbackDays: 30 })).tables.rows);
    expect(first).toContain("'-2+3,usd,1,9.00,9.00,");
    const subs = toCsv(reportTables.subscriptions(reports.subscriptions({ from: '2026-04-01', to: '2026-04-30', tz: 'UTC', interval: 'month' })).tables.rows);
    expect(subs.split('\r\n')[1]).toBe('2026-04,usd,10.00,0.00,-10.00,-30.00,0.00,-30.00,10.00');
    for (const cell of ['+1', '@SUM(A1)', '\tx', '\rx']) expect(toCsv({ columns: [{ key: 'v', kind: 'text' }], rows: [{ v: cell }] }).split('\r\n')[1].replace(/^"|"$/g, '')).toMatch(/^'/);
  });

  it('splits whole units exactly', () => {
    expect(splitWhole(1001, [0.5, 0.5])).toEqual([500, 501]);
    expect(splitWhole(-1001, [0.5, 0.5])).toEqual([-500, -501]);
    expect(splitWhole(100, [1 / 3, 1 / 3, 1 / 3])).toEqual([33, 33, 34]);
  });
});
