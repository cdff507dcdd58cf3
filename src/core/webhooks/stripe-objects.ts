// Stripe objects → table rows. Pure functions: no database, no clock.
import type {
  ChargeTable,
  CheckoutSessionTable,
  CustomerTable,
  DisputeTable,
  InvoiceTable,
  MetadataColumns,
  PaymentIntentTable,
  RefundTable,
  SubscriptionTable,
} from '../db/schema';
import { at, bool, idOf, int, listData, metadataOf, obj, type StripeObject, str } from './stripe-fields';

export interface EventContext {
  eventId: string;
  eventType: string;
  eventCreated: number;
  livemode: boolean;
}

const ordering = (ctx: EventContext) => ({ event_created: ctx.eventCreated, livemode: ctx.livemode ? 1 : 0 });

export function metadataColumns(raw: unknown): MetadataColumns {
  const metadata = metadataOf(raw);
  const pick = (key: string) => (metadata[key]?.trim() ? metadata[key].trim() : null);
  return {
    client_id: pick('client_id'),
    session_id: pick('session_id'),
    anonymous_id: pick('anonymous_id'),
    user_id: pick('user_id'),
    campaign: pick('campaign'),
    source: pick('source'),
    affiliate_id: pick('affiliate_id'),
    metadata: JSON.stringify(metadata),
  };
}

/** Card brand/country and method type from a charge's `payment_method_details` or a payment method. */
function paymentMethodFacts(details: unknown) {
  const type = str(at(details, 'type'));
  const card = obj(at(details, 'card'));
  return { type, brand: str(card?.brand), country: str(card?.country) };
}

export function paymentIntentRow(pi: StripeObject, ctx: EventContext): PaymentIntentTable {
  const error = obj(pi.last_payment_error);
  const errorMethod = paymentMethodFacts(error?.payment_method);
  const latestCharge = obj(pi.latest_charge) ?? listData(pi.charges)[0] ?? null;
  const chargeMethod = paymentMethodFacts(latestCharge?.payment_method_details);
  const methodTypes = Array.isArray(pi.payment_method_types) ? pi.payment_method_types : [];
  const status = str(pi.status) ?? 'requires_payment_method';
  const metadata = metadataColumns(pi.metadata);
  return {
    id: str(pi.id)!,
    amount: int(pi.amount) ?? 0,
    amount_received: int(pi.amount_received) ?? 0,
    currency: (str(pi.currency) ?? 'usd').toLowerCase(),
    status,
    created: int(pi.created) ?? ctx.eventCreated,
    succeeded_at: status === 'succeeded' ? ctx.eventCreated : null,
    canceled_at: status === 'canceled' ? (int(pi.canceled_at) ?? ctx.eventCreated) : null,
    cancellation_reason: str(pi.cancellation_reason),
    customer: idOf(pi.customer),
    receipt_email: str(pi.receipt_email),
    description: str(pi.description),
    latest_charge: idOf(pi.latest_charge),
    invoice: idOf(pi.invoice),
    checkout_session: null,
    payment_method_type: chargeMethod.type ?? errorMethod.type ?? (methodTypes.length === 1 ? str(methodTypes[0]) : null),
    card_brand: chargeMethod.brand ?? errorMethod.brand,
    card_country: chargeMethod.country ?? errorMethod.country,
    failure_code: str(error?.code),
    failure_message: str(error?.message),
    decline_code: str(error?.decline_code),
    ...metadata,
    attribution_source: metadata.session_id ? 'payment_intent' : null,
    ...ordering(ctx),
  };
}

export function chargeRow(charge: StripeObject, ctx: EventContext): ChargeTable {
  const method = paymentMethodFacts(charge.payment_method_details);
  const outcome = obj(charge.outcome);
  return {
    id: str(charge.id)!,
    payment_intent: idOf(charge.payment_intent),
    invoice: idOf(charge.invoice),
    amount: int(charge.amount) ?? 0,
    amount_captured: int(charge.amount_captured) ?? 0,
    amount_refunded: int(charge.amount_refunded) ?? 0,
    currency: (str(charge.currency) ?? 'usd').toLowerCase(),
    status: str(charge.status) ?? 'pending',
    paid: bool(charge.paid),
    captured: bool(charge.captured),
    refunded: bool(charge.refunded),
    disputed: bool(charge.disputed),
    created: int(charge.created) ?? ctx.eventCreated,
    customer: idOf(charge.customer),
    billing_email: str(at(charge, 'billing_details', 'email')),
    receipt_email: str(charge.receipt_email),
    payment_method_type: method.type,
    card_brand: method.brand,
    card_country: method.country,
    failure_code: str(charge.failure_code),
    failure_message: str(charge.failure_message),
    outcome_type: str(outcome?.type),
    outcome_reason: str(outcome?.reason),
    network_status: str(outcome?.network_status),
    seller_message: str(outcome?.seller_message),
    risk_level: str(outcome?.risk_level),
    ...metadataColumns(charge.metadata),
    ...ordering(ctx),
  };
}

export function refundRow(refund: StripeObject, ctx: EventContext): RefundTable {
  return {
    id: str(refund.id)!,
    charge: idOf(refund.charge),
    payment_intent: idOf(refund.payment_intent),
    amount: int(refund.amount) ?? 0,
    currency: (str(refund.currency) ?? 'usd').toLowerCase(),
    status: str(refund.status) ?? 'pending',
    reason: str(refund.reason),
    failure_reason: str(refund.failure_reason),
    created: int(refund.created) ?? ctx.eventCreated,
    metadata: JSON.stringify(metadataOf(refund.metadata)),
    ...ordering(ctx),
  };
}

export function disputeRow(dispute: StripeObject, ctx: EventContext): DisputeTable {
  return {
    id: str(dispute.id)!,
    charge: idOf(dispute.charge),
    payment_intent: idOf(dispute.payment_intent),
    amount: int(dispute.amount) ?? 0,
    currency: (str(dispute.currency) ?? 'usd').toLowerCase(),
    status: str(dispute.status) ?? 'needs_response',
    reason: str(dispute.reason),
    created: int(dispute.created) ?? ctx.eventCreated,
    closed_at: ctx.eventType === 'charge.dispute.closed' ? ctx.eventCreated : null,
    ...ordering(ctx),
  };
}

export function checkoutSessionRow(session: StripeObject, ctx: EventContext): CheckoutSessionTable {
  const columns = metadataColumns(session.metadata);
  return {
    id: str(session.id)!,
    payment_intent: idOf(session.payment_intent),
    subscription: idOf(session.subscription),
    invoice: idOf(session.invoice),
    customer: idOf(session.customer),
    customer_email: str(at(session, 'customer_details', 'email')) ?? str(session.customer_email),
    client_reference_id: str(session.client_reference_id),
    mode: str(session.mode),
    status: str(session.status),
    payment_status: str(session.payment_status),
    amount_total: int(session.amount_total),
    currency: str(session.currency)?.toLowerCase() ?? null,
    created: int(session.created) ?? ctx.eventCreated,
    ...columns,
    // The checkout's client_reference_id is where many stores put the analytics session id.
    session_id: columns.session_id ?? str(session.client_reference_id),
    ...ordering(ctx),
  };
}

export function customerRow(customer: StripeObject, ctx: EventContext): CustomerTable {
  return {
    id: str(customer.id)!,
    email: str(customer.email),
    name: str(customer.name),
    created: int(customer.created),
    deleted: customer.deleted === true || ctx.eventType === 'customer.deleted' ? 1 : 0,
    metadata: JSON.stringify(metadataOf(customer.metadata)),
    ...ordering(ctx),
  };
}

const MONTHS_PER_INTERVAL: Record<string, number> = { day: 12 / 365, week: 12 / 52, month: 1, year: 12 };

interface SubscriptionItem {
  id: string | null;
  price: string | null;
  product: string | null;
  unit_amount: number;
  currency: string | null;
  interval: string | null;
  interval_count: number;
  quantity: number;
}

function subscriptionItems(subscription: StripeObject): SubscriptionItem[] {
  return listData(subscription.items).map((item) => {
    const price = obj(item.price) ?? obj(item.plan);
    const recurring = obj(price?.recurring);
    const unitDecimal = Number(price?.unit_amount_decimal ?? price?.amount_decimal);
    return {
      id: str(item.id),
      price: str(price?.id),
      product: idOf(price?.product),
      unit_amount: int(price?.unit_amount) ?? int(price?.amount) ?? (Number.isFinite(unitDecimal) ? unitDecimal : 0),
      currency: str(price?.currency),
      interval: str(recurring?.interval) ?? str(price?.interval),
      interval_count: int(recurring?.interval_count) ?? int(price?.interval_count) ?? 1,
      quantity: int(item.quantity) ?? 1,
    };
  });
}

/** Subscription discounts in force: percent and amount off from expanded coupons (legacy `discount` too). */
function subscriptionDiscounts(subscription: StripeObject) {
  const all = [...(Array.isArray(subscription.discounts) ? subscription.discounts : []), subscription.discount];
  // Older API versions carry the same discount in both `discount` and (expanded) `discounts`: count it once.
  const seen = new Set<string>();
  return all
    .filter((d) => {
      const id = str(obj(d)?.id);
      if (!id) return true;
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    })
    .map((d) => obj(obj(d)?.coupon) ?? obj(at(d, 'source', 'coupon')))
    .filter((c): c is StripeObject => c !== null)
    .map((c) => ({ percent_off: typeof c.percent_off === 'number' ? c.percent_off : null, amount_off: int(c.amount_off), duration: str(c.duration) }));
}

const monthsPerBillingPeriod = (item: SubscriptionItem) => (MONTHS_PER_INTERVAL[item.interval ?? 'month'] ?? 1) * Math.max(1, item.interval_count);

/** Items normalised to a month (quantity applied), then discounts; whole minor units. */
export function monthlyRecurringRevenue(items: SubscriptionItem[], discounts: ReturnType<typeof subscriptionDiscounts>): number {
  let monthly = 0;
  for (const item of items) monthly += (item.unit_amount * item.quantity) / monthsPerBillingPeriod(item);
  // An amount-off coupon comes off each invoice, so it is spread over the billing period like the price.
  const period = items[0] ? monthsPerBillingPeriod(items[0]) : 1;
  for (const discount of discounts) {
    if (discount.percent_off) monthly *= 1 - discount.percent_off / 100;
    if (discount.amount_off) monthly -= discount.amount_off / period;
  }
  return Math.max(0, Math.round(monthly));
}

export function subscriptionRow(subscription: StripeObject, ctx: EventContext): SubscriptionTable {
  const items = subscriptionItems(subscription);
  const discounts = subscriptionDiscounts(subscription);
  const firstItem = listData(subscription.items)[0];
  return {
    id: str(subscription.id)!,
    customer: idOf(subscription.customer),
    status: str(subscription.status) ?? 'incomplete',
    currency: (str(subscription.currency) ?? items[0]?.currency ?? 'usd').toLowerCase(),
    created: int(subscription.created) ?? ctx.eventCreated,
    start_date: int(subscription.start_date),
    canceled_at: int(subscription.canceled_at),
    ended_at: int(subscription.ended_at),
    cancel_at_period_end: bool(subscription.cancel_at_period_end),
    // Newer API versions keep the period on each item.
    current_period_start: int(subscription.current_period_start) ?? int(firstItem?.current_period_start),
    current_period_end: int(subscription.current_period_end) ?? int(firstItem?.current_period_end),
    items: JSON.stringify(items),
    discounts: JSON.stringify(discounts),
    mrr: monthlyRecurringRevenue(items, discounts),
    latest_invoice: idOf(subscription.latest_invoice),
    ...metadataColumns(subscription.metadata),
    ...ordering(ctx),
  };
}

/** The payment intent that paid an invoice: the legacy field, else the invoice's payments list. */
function invoicePaymentIntent(invoice: StripeObject): string | null {
  const legacy = idOf(invoice.payment_intent);
  if (legacy) return legacy;
  for (const payment of listData(invoice.payments)) {
    const pi = idOf(at(payment, 'payment', 'payment_intent'));
    if (pi) return pi;
  }
  return null;
}

export function invoiceRow(invoice: StripeObject, ctx: EventContext): InvoiceTable {
  const status = str(invoice.status);
  const lines = listData(invoice.lines).map((line) => ({
    id: str(line.id),
    amount: int(line.amount),
    currency: str(line.currency),
    description: str(line.description),
    quantity: int(line.quantity),
    price: idOf(line.price) ?? idOf(at(line, 'pricing', 'price_details', 'price')),
    period_start: int(at(line, 'period', 'start')),
    period_end: int(at(line, 'period', 'end')),
  }));
  return {
    id: str(invoice.id)!,
    customer: idOf(invoice.customer),
    customer_email: str(invoice.customer_email),
    subscription: idOf(invoice.subscription) ?? idOf(at(invoice, 'parent', 'subscription_details', 'subscription')),
    payment_intent: invoicePaymentIntent(invoice),
    charge: idOf(invoice.charge),
    status,
    billing_reason: str(invoice.billing_reason),
    amount_due: int(invoice.amount_due) ?? 0,
    amount_paid: int(invoice.amount_paid) ?? 0,
    amount_remaining: int(invoice.amount_remaining) ?? 0,
    subtotal: int(invoice.subtotal),
    total: int(invoice.total),
    currency: (str(invoice.currency) ?? 'usd').toLowerCase(),
    created: int(invoice.created) ?? ctx.eventCreated,
    paid_at: int(at(invoice, 'status_transitions', 'paid_at')) ?? (status === 'paid' ? ctx.eventCreated : null),
    hosted_invoice_url: str(invoice.hosted_invoice_url),
    lines: JSON.stringify(lines),
    metadata: JSON.stringify(metadataOf(invoice.metadata)),
    ...ordering(ctx),
  };
}
