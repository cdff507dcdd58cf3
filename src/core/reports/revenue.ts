// Revenue per period and currency: gross at payment time, refunds and lost disputes at their own time.
import { sql } from 'kysely';
import type { ApiOutput, ApiParsedInput } from '../../shared/api/index';
import type { RevenueRow } from '../../shared/api/reports';
import type { Store } from '../db/store';
import type { Freshness } from './freshness';
import { BUCKET_SECONDS, ensureRevenueRollup } from './materialize';
import { type Period, periodIndex, periods, resolveRange } from './periods';

type Sums = Pick<RevenueRow, 'gross' | 'payments' | 'refunded' | 'refunds' | 'disputed'>;
const emptySums = (): Sums => ({ gross: 0, payments: 0, refunded: 0, refunds: 0, disputed: 0 });
const averageOrder = (s: Sums) => (s.payments ? Math.round(s.gross / s.payments) : null);
const finish = (s: Sums) => ({ ...s, net: s.gross - s.refunded - s.disputed, average_order_value: averageOrder(s) });

export function revenueReport(store: Store, freshness: Freshness, input: ApiParsedInput<'reports.revenue'>, nowMs: number): ApiOutput<'reports.revenue'> {
  ensureRevenueRollup(store, freshness);
  const range = resolveRange(input, nowMs);
  const list = periods(range, input.interval);
  // Period edges on 15-minute boundaries (all real zones) read the rollup; anything else reads raw rows.
  const aligned = list.every((p) => p.start % BUCKET_SECONDS === 0 && p.end % BUCKET_SECONDS === 0);
  const currency = input.currency ?? null;
  const byCurrency = new Map<string, Sums[]>();
  const add = (cur: string, i: number, gross: number, payments: number, refunded: number, refunds: number, disputed: number) => {
    let sums = byCurrency.get(cur);
    if (!sums) byCurrency.set(cur, (sums = list.map(emptySums)));
    const s = sums[i];
    s.gross += gross;
    s.payments += payments;
    s.refunded += refunded;
    s.refunds += refunds;
    s.disputed += disputed;
  };
  if (aligned) {
    // SQLite sums each period's buckets through the (bucket, currency) key; only period totals come back.
    const edges = JSON.stringify(list.map((p) => [p.start / BUCKET_SECONDS, p.end / BUCKET_SECONDS]));
    const rows = store.sqlite
      .prepare(
        `WITH b AS (SELECT key AS i, value ->> 0 AS s, value ->> 1 AS e FROM json_each(?))
         SELECT r.currency, b.i, sum(r.gross), sum(r.payments), sum(r.refunded), sum(r.refunds), sum(r.disputed)
         FROM b JOIN report_revenue_rollup r ON r.bucket >= b.s AND r.bucket < b.e
         WHERE ? IS NULL OR r.currency = ? GROUP BY r.currency, b.i`,
      )
      .raw()
      .all(edges, currency, currency) as Array<[string, number, number, number, number, number, number]>;
    for (const [cur, i, ...sums] of rows) add(cur, i, ...sums);
  } else {
    for (const [cur, t, ...sums] of rawRows(store, range.start, range.end, currency) as Array<[string, number, number, number, number, number, number]>) {
      const i = periodIndex(list, t);
      if (i >= 0) add(cur, i, ...sums);
    }
  }
  const currencies = [...byCurrency.keys()].sort();
  const out: RevenueRow[] = [];
  list.forEach((p: Period, i) => {
    for (const cur of currencies) out.push({ period: p.label, period_start: p.start * 1000, currency: cur, ...finish(byCurrency.get(cur)![i]) });
  });
  const totals = currencies.map((cur) => {
    const t = emptySums();
    for (const s of byCurrency.get(cur)!) for (const k of Object.keys(t) as Array<keyof Sums>) t[k] += s[k];
    return { currency: cur, ...finish(t) };
  });
  return { range: { from: range.from, to: range.to, tz: range.tz }, interval: input.interval, rows: out, totals };
}

function rawRows(store: Store, start: number, end: number, currency: string | null) {
  return store.all(
    sql<Record<string, unknown>>`
      SELECT currency, paid_at AS t, amount AS gross, 1 AS payments, 0 AS refunded, 0 AS refunds, 0 AS disputed FROM report_payments
        WHERE paid_at >= ${start} AND paid_at < ${end}
      UNION ALL SELECT currency, created, 0, 0, amount, 1, 0 FROM refunds WHERE status = 'succeeded' AND created >= ${start} AND created < ${end}
      UNION ALL SELECT currency, created, 0, 0, 0, 0, amount FROM disputes WHERE status = 'lost' AND created >= ${start} AND created < ${end}`,
  )
    .filter((r) => currency === null || r.currency === currency)
    .map((r) => Object.values(r));
}
