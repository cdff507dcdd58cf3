// Per-payment touchpoints for one model and lookback, precomputed into report_touches:
// the visitor's sessions that started within the lookback before the payment (or, with no
// visitor, the payment's own session), each with its weight and whole-unit share of money.
import { sql } from 'kysely';
import type { AttributionModel } from '../../shared/api/reports';
import { SESSION_DIMENSIONS } from '../../shared/api/reports';
import type { Store } from '../db/store';
import { unattributedReason } from '../payments';
import type { Freshness } from './freshness';
import { ensurePayments } from './materialize';
import { modelWeights, splitWhole, WEIGHT_SCALE } from './models';

const DAY_MS = 86_400_000;
const PREFIX = 'touches:';

export const REASONS = {
  no_session_id: unattributedReason(null, false)!,
  session_not_imported: 'Session not in the imported analytics data',
} as const;
export type ReasonCode = keyof typeof REASONS;

/** Each payment's candidate touchpoints: its visitor's sessions in the lookback (? = ms). */
export const CANDIDATE_SESSIONS_SQL = `SELECT p.id AS payment_id, s.session_id, s.started_at
  FROM report_payments p JOIN analytics_sessions s
    ON s.anonymous_id = p.visitor_id AND s.started_at >= p.paid_at * 1000 - ? AND s.started_at <= p.paid_at * 1000
  WHERE p.session_known = 1
  ORDER BY p.id, s.started_at, s.session_id`;

export const touchKey = (model: AttributionModel, lookbackDays: number) => `${PREFIX}${model}:${lookbackDays}`;

interface PaymentRow {
  id: string;
  paid_at: number;
  currency: string;
  amount: number;
  refunded: number;
  disputed: number;
  session_id: string | null;
  session_known: number;
  campaign: string | null;
  source: string | null;
  affiliate_id: string | null;
}

/** Makes report_touches current for this model and lookback; returns its key. */
export function ensureTouches(store: Store, freshness: Freshness, model: AttributionModel, lookbackDays: number): string {
  ensurePayments(store, freshness);
  const key = touchKey(model, lookbackDays);
  freshness.ensure(key, ['stripe', 'sessions'], () => {
    // Older builds of other models are stale too: drop them rather than keep dead rows.
    freshness.clearWithStale(key, PREFIX, ['stripe', 'sessions'], (stale) => store.run(sql`DELETE FROM report_touches WHERE model_key = ${stale}`));
    build(store, key, model, lookbackDays);
  });
  return key;
}

function build(store: Store, key: string, model: AttributionModel, lookbackDays: number) {
  const candidates = new Map<string, Array<{ session_id: string; started_at: number }>>();
  const rows = store.sqlite
    .prepare(CANDIDATE_SESSIONS_SQL)
    .raw()
    .iterate(lookbackDays * DAY_MS) as Iterable<[string, string, number]>;
  for (const [paymentId, sessionId, startedAt] of rows) {
    let list = candidates.get(paymentId);
    if (!list) candidates.set(paymentId, (list = []));
    list.push({ session_id: sessionId, started_at: startedAt });
  }
  const ownStart = store.sqlite.prepare('SELECT started_at FROM analytics_sessions WHERE session_id = ?').pluck();
  const insert = store.sqlite.prepare(
    `INSERT INTO report_touches (model_key, payment_id, session_id, paid_at, currency, weight_micro, gross, net, reason, campaign, source, affiliate_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const payments = store.all(sql<PaymentRow>`SELECT id, paid_at, currency, amount, refunded, disputed, session_id, session_known, campaign, source, affiliate_id FROM report_payments ORDER BY paid_at, id`);
  // Rows go in payment-time order, so a range read walks the table instead of jumping around it.
  for (const p of payments) {
    const net = p.amount - p.refunded - p.disputed;
    const tail = [p.campaign, p.source, p.affiliate_id];
    if (!p.session_id || !p.session_known) {
      const reason: ReasonCode = p.session_id ? 'session_not_imported' : 'no_session_id';
      insert.run(key, p.id, null, p.paid_at, p.currency, WEIGHT_SCALE, p.amount, net, reason, ...tail);
      continue;
    }
    // A visitor with no session inside the window still converted in its own session.
    const touches = candidates.get(p.id) ?? [{ session_id: p.session_id, started_at: ownStart.get(p.session_id) as number }];
    const paidMs = p.paid_at * 1000;
    const weights = modelWeights(model, touches.map((t) => paidMs - t.started_at));
    const micro = splitWhole(WEIGHT_SCALE, weights);
    const gross = splitWhole(p.amount, weights);
    const nets = splitWhole(net, weights);
    touches.forEach((t, i) => {
      if (micro[i] === 0 && gross[i] === 0 && nets[i] === 0) return;
      insert.run(key, p.id, t.session_id, p.paid_at, p.currency, micro[i], gross[i], nets[i], null, ...tail);
    });
  }
  const columns = SESSION_DIMENSIONS.map((d) => `${d} = s.${d}`).join(', ');
  store.sqlite
    .prepare(`UPDATE report_touches SET ${columns} FROM analytics_sessions s WHERE s.session_id = report_touches.session_id AND report_touches.model_key = ?`)
    .run(key);
}
