// Customers: each customer's payments in the range (first purchase, orders, gross, net and
// the first-touch acquisition source of the first purchase), aggregates per currency,
// lifetime value by acquisition source, and net revenue per first-purchase-month cohort.
import { sql } from 'kysely';
import type { ApiOutput, ApiParsedInput } from '../../shared/api/index';
import { NONE, UNATTRIBUTED } from '../../shared/api/reports';
import type { Store } from '../db/store';
import type { Freshness } from './freshness';
import { localDate } from './local-time';
import { periodIndex, periods, resolveRange } from './periods';
import { ensureTouches } from './touchpoints';

type Output = ApiOutput<'reports.customers'>;
type Kind = Output['rows'][number]['customer_kind'];
interface Payment {
  id: string;
  customer_key: string | null;
  customer_kind: Kind;
  currency: string;
  paid_at: number;
  amount: number;
  net: number;
}

const DAY = 86_400;
const rate = (a: number, b: number) => (b ? a / b : null);

export function customersReport(store: Store, freshness: Freshness, input: ApiParsedInput<'reports.customers'>, nowMs: number): Output {
  const range = resolveRange(input, nowMs);
  const key = ensureTouches(store, freshness, 'first_touch', input.lookbackDays);
  const currency = input.currency ?? null;
  const payments = store.all(sql<Payment>`
    SELECT id, customer_key, customer_kind, currency, paid_at, amount, amount - refunded - disputed AS net FROM report_payments
    WHERE paid_at >= ${range.start} AND paid_at < ${range.end} AND (${currency} IS NULL OR currency = ${currency})
    ORDER BY paid_at, id`);
  const sources = new Map(
    (
      store.sqlite
        .prepare(`SELECT payment_id, ${input.by}, reason FROM report_touches WHERE model_key = ? AND paid_at >= ? AND paid_at < ?`)
        .raw()
        .all(key, range.start, range.end) as Array<[string, string | null, string | null]>
    ).map(([id, value, reason]) => [id, reason ? UNATTRIBUTED : value || NONE]),
  );
  const groups = new Map<string, Payment[]>();
  for (const p of payments) {
    const id = `${p.customer_key ?? p.id}\u0000${p.currency}`;
    const list = groups.get(id) ?? [];
    list.push(p);
    groups.set(id, list);
  }
  const months = periods(range, 'month');
  const rows: Output['rows'] = [];
  const summary = new Map<string, { customers: number; orders: number; repeat: number; gaps: number; gapDays: number; net: number }>();
  const ltv = new Map<string, Output['ltv'][number]>();
  const cohorts = new Map<string, Output['cohorts'][number] & { seen: Set<string> }>();
  for (const [id, list] of groups) {
    const first = list[0];
    const last = list[list.length - 1];
    const source = sources.get(first.id) ?? UNATTRIBUTED;
    const gross = list.reduce((s, p) => s + p.amount, 0);
    const net = list.reduce((s, p) => s + p.net, 0);
    rows.push({
      customer: first.customer_key ?? first.id,
      customer_kind: first.customer_key ? first.customer_kind : 'unknown',
      currency: first.currency,
      first_purchase: localDate(first.paid_at, range.tz),
      last_purchase: localDate(last.paid_at, range.tz),
      orders: list.length,
      gross,
      net,
      acquisition_source: source,
    });
    const s = summary.get(first.currency) ?? { customers: 0, orders: 0, repeat: 0, gaps: 0, gapDays: 0, net: 0 };
    s.customers++;
    s.orders += list.length;
    s.net += net;
    if (list.length > 1) {
      s.repeat++;
      s.gaps += list.length - 1;
      s.gapDays += (last.paid_at - first.paid_at) / DAY;
    }
    summary.set(first.currency, s);
    const l = ltv.get(`${source}\u0000${first.currency}`) ?? { acquisition_source: source, currency: first.currency, customers: 0, net: 0, average_lifetime_value: null };
    l.customers++;
    l.net += net;
    ltv.set(`${source}\u0000${first.currency}`, l);
    const cohortIndex = periodIndex(months, first.paid_at);
    for (const p of list) {
      const since = periodIndex(months, p.paid_at) - cohortIndex;
      const cohortKey = `${months[cohortIndex].label}\u0000${p.currency}\u0000${since}`;
      const c = cohorts.get(cohortKey) ?? { cohort: months[cohortIndex].label, currency: p.currency, months_since: since, customers: 0, orders: 0, net: 0, seen: new Set<string>() };
      if (!c.seen.has(id)) {
        c.seen.add(id);
        c.customers++;
      }
      c.orders++;
      c.net += p.net;
      cohorts.set(cohortKey, c);
    }
  }
  rows.sort((a, b) => a.currency.localeCompare(b.currency) || b.net - a.net || a.customer.localeCompare(b.customer));
  return {
    range: { from: range.from, to: range.to, tz: range.tz },
    rows,
    summary: [...summary.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([cur, s]) => ({
      currency: cur,
      customers: s.customers,
      orders: s.orders,
      repeat_customers: s.repeat,
      repeat_purchase_rate: rate(s.repeat, s.customers),
      purchase_frequency: rate(s.orders, s.customers),
      average_days_between_purchases: rate(s.gapDays, s.gaps),
      net: s.net,
      average_lifetime_value: s.customers ? Math.round(s.net / s.customers) : null,
    })),
    ltv: [...ltv.values()]
      .map((l) => ({ ...l, average_lifetime_value: l.customers ? Math.round(l.net / l.customers) : null }))
      .sort((a, b) => a.currency.localeCompare(b.currency) || b.net - a.net || a.acquisition_source.localeCompare(b.acquisition_source)),
    cohorts: [...cohorts.values()]
      .map(({ seen: _seen, ...c }) => c)
      .sort((a, b) => a.currency.localeCompare(b.currency) || a.cohort.localeCompare(b.cohort) || a.months_since - b.months_since),
  };
}
