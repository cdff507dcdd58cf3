// Payments as the merchant sees them: succeeded-or-not payment intents, plus invoices
// paid without a payment intent. An invoice paid through a payment intent is that payment.
import { sql } from 'kysely';
import type { PaymentDetail, PaymentSummary } from '../shared/api/payments';
import type { ApiParsedInput } from '../shared/api/index';
import type { Store } from './db/store';
import { NotFoundError } from './errors';

/** Why a payment cannot be tied to an analytics session, or null when it can. */
export function unattributedReason(sessionId: string | null, sessionKnown: boolean): string | null {
  if (!sessionId) return 'No session_id in payment metadata';
  if (!sessionKnown) return `Session ${sessionId} is not in the imported analytics data`;
  return null;
}

interface PaymentRow {
  id: string;
  kind: 'payment_intent' | 'invoice';
  status: string;
  amount: number;
  amount_received: number;
  amount_refunded: number;
  currency: string;
  created: number;
  succeeded_at: number | null;
  customer: string | null;
  email: string | null;
  payment_method_type: string | null;
  card_brand: string | null;
  failure_code: string | null;
  failure_message: string | null;
  client_id: string | null;
  session_id: string | null;
  anonymous_id: string | null;
  session_known: number;
  disputed: number;
  livemode: number;
}

/** Every payment-like row (any status); reports keep the succeeded ones. */
export const PAYMENTS = sql`
  SELECT pi.id, 'payment_intent' AS kind, pi.status, pi.amount, pi.amount_received,
    max(coalesce((SELECT sum(r.amount) FROM refunds r WHERE r.payment_intent = pi.id AND r.status = 'succeeded'), 0),
        coalesce((SELECT sum(c.amount_refunded) FROM charges c WHERE c.payment_intent = pi.id), 0)) AS amount_refunded,
    pi.currency, pi.created, pi.succeeded_at, pi.customer,
    coalesce(pi.receipt_email, (SELECT customer_email FROM checkout_sessions cs WHERE cs.id = pi.checkout_session),
             (SELECT email FROM customers c WHERE c.id = pi.customer)) AS email,
    pi.payment_method_type, pi.card_brand, pi.failure_code, pi.failure_message,
    pi.client_id, pi.session_id, pi.anonymous_id,
    EXISTS (SELECT 1 FROM analytics_sessions s WHERE s.session_id = pi.session_id) AS session_known,
    EXISTS (SELECT 1 FROM disputes d WHERE d.payment_intent = pi.id) AS disputed, pi.livemode,
    coalesce((SELECT sum(d.amount) FROM disputes d WHERE d.payment_intent = pi.id AND d.status = 'lost'), 0) AS amount_disputed_lost,
    pi.campaign, pi.source, pi.affiliate_id, pi.card_country, pi.decline_code
  FROM payment_intents pi
  UNION ALL
  SELECT i.id, 'invoice', i.status, i.amount_due, i.amount_paid, 0, i.currency, i.created, i.paid_at, i.customer,
    i.customer_email, NULL, NULL, NULL, NULL, sub.client_id, sub.session_id, sub.anonymous_id,
    EXISTS (SELECT 1 FROM analytics_sessions s WHERE s.session_id = sub.session_id), 0, i.livemode,
    0, sub.campaign, sub.source, sub.affiliate_id, NULL, NULL
  FROM invoices i LEFT JOIN subscriptions sub ON sub.id = i.subscription
  WHERE i.payment_intent IS NULL AND i.amount_paid > 0
    AND NOT EXISTS (SELECT 1 FROM payment_intents p WHERE p.invoice = i.id)`;

function summary(row: PaymentRow): PaymentSummary {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    amount: row.amount,
    amountReceived: row.amount_received,
    amountRefunded: row.amount_refunded,
    currency: row.currency,
    created: row.created,
    succeededAt: row.succeeded_at,
    customer: row.customer,
    email: row.email,
    paymentMethodType: row.payment_method_type,
    cardBrand: row.card_brand,
    failureCode: row.failure_code,
    failureMessage: row.failure_message,
    clientId: row.client_id,
    sessionId: row.session_id,
    anonymousId: row.anonymous_id,
    unattributedReason: unattributedReason(row.session_id, row.session_known === 1),
    disputed: row.disputed === 1,
    livemode: row.livemode === 1,
  };
}

export function createPayments(store: Store) {
  const { db } = store;
  const query = (where: ReturnType<typeof sql>, tail: ReturnType<typeof sql>) =>
    store.all(sql<PaymentRow>`SELECT * FROM (${PAYMENTS}) p WHERE ${where} ORDER BY coalesce(succeeded_at, created) DESC, id ${tail}`);

  return {
    list(input: ApiParsedInput<'payments.list'>): PaymentSummary[] {
      const where = input.status ? sql`status = ${input.status}` : sql`1 = 1`;
      return query(where, sql`LIMIT ${input.limit} OFFSET ${input.offset}`).map(summary);
    },

    get(id: string): PaymentDetail {
      const row = query(sql`id = ${id}`, sql``)[0];
      if (!row) throw new NotFoundError(`No payment with id ${id}`);
      const metadataSource =
        row.kind === 'payment_intent'
          ? store.first(db.selectFrom('payment_intents').select('metadata').where('id', '=', id))
          : store.first(db.selectFrom('invoices').select('metadata').where('id', '=', id));
      const charges = store.all(db.selectFrom('charges').selectAll().where(row.kind === 'payment_intent' ? 'payment_intent' : 'invoice', '=', id));
      const chargeIds = charges.map((c) => c.id);
      const chargeFilter = chargeIds.length ? chargeIds : [''];
      const refunds = store.all(
        db.selectFrom('refunds').selectAll().where((eb) => eb.or([eb('payment_intent', '=', id), eb('charge', 'in', chargeFilter)])).orderBy('created'),
      );
      const disputes = store.all(
        db.selectFrom('disputes').selectAll().where((eb) => eb.or([eb('payment_intent', '=', id), eb('charge', 'in', chargeFilter)])).orderBy('created'),
      );
      const objectIds = [id, ...chargeIds];
      objectIds.push(...refunds.map((r) => r.id), ...disputes.map((d) => d.id));
      const events = store.all(
        db.selectFrom('events').select(['id', 'type', 'created']).where('object_id', 'in', objectIds).orderBy('created').orderBy('received_at'),
      );
      return {
        payment: summary(row),
        metadata: JSON.parse(metadataSource?.metadata ?? '{}') as Record<string, string>,
        charges,
        refunds,
        disputes,
        events,
      };
    },
  };
}
