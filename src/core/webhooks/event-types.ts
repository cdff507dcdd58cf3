/** Event types that feed reports (DESIGN.md, "Events to handle"); all others are stored only. */
export const HANDLED_EVENT_TYPES = new Set([
  'payment_intent.created',
  'payment_intent.succeeded',
  'payment_intent.canceled',
  'payment_intent.payment_failed',
  'payment_intent.requires_action',
  'charge.succeeded',
  'charge.failed',
  'charge.captured',
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

/** Payment events whose metadata should carry the analytics client id. */
export const ATTRIBUTED_EVENT_TYPES = new Set([
  'payment_intent.created',
  'payment_intent.succeeded',
  'payment_intent.canceled',
  'payment_intent.payment_failed',
  'payment_intent.requires_action',
  'charge.succeeded',
  'charge.failed',
  'charge.captured',
]);

export const NOT_USED_FOR_REPORTS = 'not used for reports';
