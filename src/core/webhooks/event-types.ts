/** Payment intent events; their metadata should carry the analytics client id. */
const PAYMENT_INTENT_EVENTS = [
  'payment_intent.created',
  'payment_intent.succeeded',
  'payment_intent.canceled',
  'payment_intent.payment_failed',
  'payment_intent.requires_action',
];
const CHARGE_PAYMENT_EVENTS = ['charge.succeeded', 'charge.failed', 'charge.captured'];

/** Event types that feed reports (DESIGN.md, "Events to handle"); all others are stored only. */
export const HANDLED_EVENT_TYPES = new Set([
  ...PAYMENT_INTENT_EVENTS,
  ...CHARGE_PAYMENT_EVENTS,
  'charge.refunded',
  'charge.dispute.created',
  'charge.dispute.closed',
  'refund.created',
  'refund.updated',
  'refund.failed',
  'checkout.session.completed',
  'customer.subscription.created',
  'customer.subscription.updated',
  'customer.subscription.deleted',
  'invoice.paid',
  'invoice.payment_succeeded',
  'invoice.payment_failed',
]);

/** Payment events whose metadata should carry the analytics client id (refunds and disputes carry none). */
export const ATTRIBUTED_EVENT_TYPES = new Set([...PAYMENT_INTENT_EVENTS, ...CHARGE_PAYMENT_EVENTS]);

export const NOT_USED_FOR_REPORTS = 'not used for reports';
