// The Stripe objects the demo sends, in the shapes of Stripe's own examples (API 2025-09-30),
// trimmed to the fields a webhook carries that matter here.
export type StripeObject = Record<string, unknown>;

export const API_VERSION = '2025-09-30.clover';

export function event(id: string, type: string, created: number, object: StripeObject) {
  return { id, object: 'event', api_version: API_VERSION, created, livemode: false, pending_webhooks: 1, request: { id: null, idempotency_key: null }, type, data: { object } };
}

export interface Card {
  brand: string;
  country: string;
}

export function paymentIntent(o: {
  id: string; amount: number; currency: string; status: string; created: number; customer: string | null; email: string | null;
  metadata: Record<string, string>; latestCharge?: string | null; invoice?: string | null;
  error?: { code: string; decline_code?: string; message: string; card: Card } | null;
}): StripeObject {
  return {
    id: o.id, object: 'payment_intent', amount: o.amount, amount_capturable: 0, amount_received: o.status === 'succeeded' ? o.amount : 0,
    capture_method: 'automatic_async', confirmation_method: 'automatic', created: o.created, currency: o.currency, customer: o.customer,
    description: null, invoice: o.invoice ?? null, latest_charge: o.latestCharge ?? null, livemode: false, metadata: o.metadata,
    payment_method_types: ['card'], receipt_email: o.email, status: o.status, canceled_at: o.status === 'canceled' ? o.created : null,
    cancellation_reason: o.status === 'canceled' ? 'abandoned' : null,
    last_payment_error: o.error
      ? { type: 'card_error', code: o.error.code, decline_code: o.error.decline_code ?? null, message: o.error.message, payment_method: { type: 'card', card: o.error.card } }
      : null,
  };
}

export function charge(o: { id: string; paymentIntent: string; amount: number; currency: string; created: number; customer: string | null; email: string | null; card: Card; metadata: Record<string, string>; invoice?: string | null }): StripeObject {
  return {
    id: o.id, object: 'charge', amount: o.amount, amount_captured: o.amount, amount_refunded: 0, captured: true, created: o.created,
    currency: o.currency, customer: o.customer, disputed: false, invoice: o.invoice ?? null, livemode: false, metadata: o.metadata,
    outcome: { network_status: 'approved_by_network', reason: null, risk_level: 'normal', seller_message: 'Payment complete.', type: 'authorized' },
    paid: true, payment_intent: o.paymentIntent, receipt_email: o.email, refunded: false, refunds: { object: 'list', data: [], has_more: false },
    billing_details: { email: o.email }, status: 'succeeded',
    payment_method_details: { type: 'card', card: { brand: o.card.brand, country: o.card.country, funding: 'credit', last4: '4242' } },
  };
}

export function refund(o: { id: string; charge: string; paymentIntent: string; amount: number; currency: string; created: number; reason: string }): StripeObject {
  return { id: o.id, object: 'refund', amount: o.amount, charge: o.charge, created: o.created, currency: o.currency, metadata: {}, payment_intent: o.paymentIntent, reason: o.reason, status: 'succeeded' };
}

export function dispute(o: { id: string; charge: string; paymentIntent: string; amount: number; currency: string; created: number; status: string }): StripeObject {
  return { id: o.id, object: 'dispute', amount: o.amount, charge: o.charge, created: o.created, currency: o.currency, livemode: false, metadata: {}, payment_intent: o.paymentIntent, reason: 'fraudulent', status: o.status };
}

export function subscription(o: { id: string; customer: string; status: string; created: number; currency: string; price: string; unitAmount: number; quantity: number; metadata: Record<string, string>; canceledAt?: number | null }): StripeObject {
  return {
    id: o.id, object: 'subscription', cancel_at_period_end: false, canceled_at: o.canceledAt ?? null, created: o.created, currency: o.currency,
    customer: o.customer, discounts: [], ended_at: o.status === 'canceled' ? (o.canceledAt ?? o.created) : null, livemode: false, metadata: o.metadata,
    start_date: o.created, status: o.status,
    items: {
      object: 'list', has_more: false,
      data: [{
        id: `si_${o.id.slice(4)}`, object: 'subscription_item', quantity: o.quantity, current_period_start: o.created, current_period_end: o.created + 30 * 86_400,
        price: { id: o.price, object: 'price', currency: o.currency, product: 'prod_demo', recurring: { interval: 'month', interval_count: 1, usage_type: 'licensed' }, type: 'recurring', unit_amount: o.unitAmount },
      }],
    },
  };
}

export function invoice(o: { id: string; customer: string; subscription: string; paymentIntent: string; amount: number; currency: string; created: number; email: string }): StripeObject {
  return {
    id: o.id, object: 'invoice', amount_due: o.amount, amount_paid: o.amount, amount_remaining: 0, billing_reason: 'subscription_cycle',
    created: o.created, currency: o.currency, customer: o.customer, customer_email: o.email, livemode: false, metadata: {}, status: 'paid',
    status_transitions: { paid_at: o.created, finalized_at: o.created }, subtotal: o.amount, total: o.amount,
    parent: { type: 'subscription_details', subscription_details: { subscription: o.subscription, metadata: {} } },
    payments: { object: 'list', data: [{ object: 'invoice_payment', payment: { type: 'payment_intent', payment_intent: o.paymentIntent }, status: 'paid' }] },
    lines: { object: 'list', data: [] },
  };
}
