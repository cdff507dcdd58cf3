// The precomputed tables every report starts from, rebuilt when their sources changed.
import { sql } from 'kysely';
import type { Store } from '../db/store';
import { PAYMENTS } from '../payments';
import type { Freshness } from './freshness';

/** Seconds per rollup bucket: every time zone offset in use is a multiple of 15 minutes. */
export const BUCKET_SECONDS = 900;

/** Succeeded payments with their customer, visitor, session and refunds/lost disputes to date. */
export function ensurePayments(store: Store, freshness: Freshness): void {
  freshness.ensure('payments', ['stripe', 'sessions'], () => {
    store.run(sql`DELETE FROM report_payments`);
    store.run(sql`
      INSERT INTO report_payments (id, kind, amount, currency, paid_at, customer_key, customer_kind, session_id, anonymous_id,
        visitor_id, session_known, campaign, source, affiliate_id, refunded, disputed)
      SELECT p.id, p.kind, p.amount_received, p.currency, p.succeeded_at,
        coalesce(p.customer, lower(p.email), p.anonymous_id, s.anonymous_id),
        CASE WHEN p.customer IS NOT NULL THEN 'customer' WHEN p.email IS NOT NULL THEN 'email'
             WHEN coalesce(p.anonymous_id, s.anonymous_id) IS NOT NULL THEN 'visitor' ELSE 'unknown' END,
        p.session_id, p.anonymous_id, coalesce(p.anonymous_id, s.anonymous_id), s.session_id IS NOT NULL,
        p.campaign, p.source, p.affiliate_id, p.amount_refunded, p.amount_disputed_lost
      FROM (${PAYMENTS}) p LEFT JOIN analytics_sessions s ON s.session_id = p.session_id
      WHERE p.succeeded_at IS NOT NULL
        AND ((p.kind = 'payment_intent' AND p.status = 'succeeded') OR (p.kind = 'invoice' AND p.status = 'paid'))`);
  });
}

/** Gross, refunds and lost disputes per currency and 15-minute bucket, each at its own time. */
export function ensureRevenueRollup(store: Store, freshness: Freshness): void {
  ensurePayments(store, freshness);
  freshness.ensure('revenue_rollup', ['stripe', 'sessions'], () => {
    store.run(sql`DELETE FROM report_revenue_rollup`);
    store.run(sql`
      INSERT INTO report_revenue_rollup (currency, bucket, gross, payments, refunded, refunds, disputed, disputes)
      SELECT currency, bucket, sum(gross), sum(payments), sum(refunded), sum(refunds), sum(disputed), sum(disputes) FROM (
        SELECT currency, paid_at / ${sql.lit(BUCKET_SECONDS)} AS bucket, amount AS gross, 1 AS payments, 0 AS refunded, 0 AS refunds, 0 AS disputed, 0 AS disputes
          FROM report_payments
        UNION ALL
        SELECT currency, created / ${sql.lit(BUCKET_SECONDS)}, 0, 0, amount, 1, 0, 0 FROM refunds WHERE status = 'succeeded'
        UNION ALL
        SELECT currency, created / ${sql.lit(BUCKET_SECONDS)}, 0, 0, 0, 0, amount, 1 FROM disputes WHERE status = 'lost'
      ) GROUP BY currency, bucket`);
  });
}
