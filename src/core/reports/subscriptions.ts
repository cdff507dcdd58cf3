// Subscriptions: MRR movements per period from the subscription history, classified per
// customer (new, expansion, contraction, churn, reactivation), and the state at the range's end.
import { sql } from 'kysely';
import type { ApiOutput, ApiParsedInput } from '../../shared/api/index';
import type { Store } from '../db/store';
import { periodIndex, periods, resolveRange } from './periods';

type Output = ApiOutput<'reports.subscriptions'>;
type Movement = 'new' | 'expansion' | 'contraction' | 'churn' | 'reactivation';

/** Statuses that bring in revenue; trials and unpaid or ended ones count as 0 MRR. */
const PAYING = new Set(['active', 'past_due']);
const LIVE = new Set(['active', 'past_due', 'trialing']);

interface HistoryRow {
  subscription_id: string;
  customer: string | null;
  at: number;
  status: string;
  currency: string;
  mrr: number;
}

interface CurrencyState {
  subs: Map<string, { mrr: number; status: string; customer: string }>;
  customers: Map<string, number>;
  everPaid: Set<string>;
  atStart: Set<string> | null;
  churned: Set<string>;
  mrrAtStart: number | null;
  moves: Array<Record<Movement, number>>;
}

export function subscriptionsReport(store: Store, input: ApiParsedInput<'reports.subscriptions'>, nowMs: number): Output {
  const range = resolveRange(input, nowMs);
  const list = periods(range, input.interval);
  const currency = input.currency ?? null;
  const history = store.all(sql<HistoryRow>`
    SELECT subscription_id, customer, at, status, currency, mrr FROM subscription_history
    WHERE at < ${range.end} AND (${currency} IS NULL OR currency = ${currency}) ORDER BY at, event_id`);
  const states = new Map<string, CurrencyState>();
  const stateOf = (cur: string) => {
    let s = states.get(cur);
    if (!s) {
      s = { subs: new Map(), customers: new Map(), everPaid: new Set(), atStart: null, churned: new Set(), mrrAtStart: null, moves: list.map(() => ({ new: 0, expansion: 0, contraction: 0, churn: 0, reactivation: 0 })) };
      states.set(cur, s);
    }
    return s;
  };
  const snapshotStart = (s: CurrencyState) => {
    if (s.atStart) return;
    s.atStart = new Set([...s.customers].filter(([, m]) => m > 0).map(([c]) => c));
    s.mrrAtStart = [...s.customers.values()].reduce((a, b) => a + b, 0);
  };
  for (const h of history) {
    const s = stateOf(h.currency);
    if (h.at >= range.start) for (const other of states.values()) snapshotStart(other);
    const customer = h.customer ?? h.subscription_id;
    const before = s.subs.get(h.subscription_id)?.mrr ?? 0;
    const after = PAYING.has(h.status) ? h.mrr : 0;
    s.subs.set(h.subscription_id, { mrr: after, status: h.status, customer });
    const prev = s.customers.get(customer) ?? 0;
    const next = prev - before + after;
    s.customers.set(customer, next);
    if (next === prev) continue;
    let kind: Movement;
    if (prev === 0) kind = s.everPaid.has(customer) ? 'reactivation' : 'new';
    else if (next === 0) kind = 'churn';
    else kind = next > prev ? 'expansion' : 'contraction';
    if (next > 0) s.everPaid.add(customer);
    const i = h.at >= range.start ? periodIndex(list, h.at) : -1;
    if (i < 0) continue;
    s.moves[i][kind] += next - prev;
    if (kind === 'churn' && s.atStart?.has(customer)) s.churned.add(customer);
  }
  for (const s of states.values()) snapshotStart(s);
  const currencies = [...states.keys()].sort();
  const rows: Output['rows'] = [];
  const running = new Map(currencies.map((c) => [c, states.get(c)!.mrrAtStart ?? 0]));
  list.forEach((p, i) => {
    for (const cur of currencies) {
      const m = states.get(cur)!.moves[i];
      const netNew = m.new + m.expansion + m.contraction + m.churn + m.reactivation;
      running.set(cur, running.get(cur)! + netNew);
      rows.push({ period: p.label, period_start: p.start * 1000, currency: cur, ...m, net_new: netNew, mrr_end: running.get(cur)! });
    }
  });
  const summary = currencies.map((cur) => {
    const s = states.get(cur)!;
    const mrr = [...s.customers.values()].reduce((a, b) => a + b, 0);
    const activeCustomers = [...s.customers.values()].filter((m) => m > 0).length;
    const atStart = s.atStart?.size ?? 0;
    return {
      currency: cur,
      active_subscriptions: [...s.subs.values()].filter((x) => LIVE.has(x.status)).length,
      active_customers: activeCustomers,
      mrr,
      arpa: activeCustomers ? Math.round(mrr / activeCustomers) : null,
      customers_at_start: atStart,
      churned_customers: s.churned.size,
      customer_churn_rate: atStart ? s.churned.size / atStart : null,
    };
  });
  return { range: { from: range.from, to: range.to, tz: range.tz }, interval: input.interval, rows, summary };
}
