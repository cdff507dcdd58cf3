// Attribution: weighted payments, gross and net per dimension value and currency, read from
// precomputed touchpoints. Rows sum back to the revenue report's payments and gross.
import type { ApiOutput, ApiParsedInput } from '../../shared/api/index';
import { type AttributionRow, NONE, UNATTRIBUTED } from '../../shared/api/reports';
import type { Store } from '../db/store';
import type { Freshness } from './freshness';
import { WEIGHT_SCALE } from './models';
import { resolveRange } from './periods';
import { ensureTouches, type ReasonCode, REASONS } from './touchpoints';

export function attributionReport(store: Store, freshness: Freshness, input: ApiParsedInput<'reports.attribution'>, nowMs: number): ApiOutput<'reports.attribution'> {
  const range = resolveRange(input, nowMs);
  const key = ensureTouches(store, freshness, input.model, input.lookbackDays);
  const currency = input.currency ?? null;
  // `by` is one of a fixed list of column names (checked by the input schema).
  // An unattributed payment has exactly one row, so count(*) counts those payments.
  const grouped = store.sqlite
    .prepare(
      `SELECT reason, ${input.by} AS value, currency, sum(weight_micro), sum(gross), sum(net), count(*)
       FROM report_touches WHERE model_key = ? AND paid_at >= ? AND paid_at < ? AND (? IS NULL OR currency = ?)
       GROUP BY reason, ${input.by}, currency`,
    )
    .raw()
    .all(key, range.start, range.end, currency, currency) as Array<[ReasonCode | null, string | null, string, number, number, number, number]>;
  const rows = new Map<string, AttributionRow>();
  const unattributed: ApiOutput<'reports.attribution'>['unattributed'] = [];
  const netTotal = new Map<string, number>();
  for (const [reason, raw, cur, micro, gross, net, payments] of grouped) {
    const value = reason ? UNATTRIBUTED : raw === null || raw === '' ? NONE : raw;
    const id = `${value}\u0000${cur}`;
    const row = rows.get(id) ?? { value, currency: cur, payments: 0, gross: 0, net: 0, share: null };
    row.payments += micro;
    row.gross += gross;
    row.net += net;
    rows.set(id, row);
    netTotal.set(cur, (netTotal.get(cur) ?? 0) + net);
    if (reason) unattributed.push({ reason: REASONS[reason], currency: cur, payments, gross, net });
  }
  const out = [...rows.values()].map((r) => {
    const total = netTotal.get(r.currency) ?? 0;
    return { ...r, payments: r.payments / WEIGHT_SCALE, share: total ? r.net / total : null };
  });
  out.sort((a, b) => a.currency.localeCompare(b.currency) || b.net - a.net || a.value.localeCompare(b.value));
  return { range: { from: range.from, to: range.to, tz: range.tz }, by: input.by, model: input.model, lookbackDays: input.lookbackDays, rows: out, unattributed };
}
