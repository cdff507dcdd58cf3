// Every event type of DESIGN.md ("Events to handle"), delivered over HTTP and checked in the state tables.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HANDLED_EVENT_TYPES } from '../src/core/webhooks/event-types';
import { fixture, makeEvent } from './helpers/fixtures';
import { startTestServer, type TestServer } from './helpers/server';
import { at, reader, uid } from './helpers/state';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server?.close());
const { row, rows, ok, delivery } = reader(() => server);

const META = { client_id: 'site_1', session_id: 'sess_abc', anonymous_id: 'anon_1', campaign: 'spring', extra_key: 'kept' };
const delivered = new Set<string>();
const send = async (type: string, object: Record<string, unknown>, created = at(0)) => {
  delivered.add(type);
  const event = makeEvent(type, object, { created });
  await ok(event);
  return event;
};

describe('payment_intent.*', () => {
  it('created, requires_action, succeeded, payment_failed and canceled each land in payment_intents', async () => {
    const created = uid('pi');
    await send('payment_intent.created', fixture('payment_intent', { id: created, metadata: META, last_payment_error: null }));
    expect(row('payment_intents', created)).toMatchObject({
      status: 'requires_payment_method', amount: 1099, currency: 'usd', client_id: 'site_1', session_id: 'sess_abc',
      anonymous_id: 'anon_1', campaign: 'spring', attribution_source: 'payment_intent', succeeded_at: null,
    });
    expect(JSON.parse(row('payment_intents', created)!.metadata as string)).toEqual(META);

    const action = uid('pi');
    await send('payment_intent.requires_action', fixture('payment_intent', { id: action, status: 'requires_action', metadata: META, last_payment_error: null }));
    expect(row('payment_intents', action)).toMatchObject({ status: 'requires_action' });

    const succeeded = uid('pi');
    const event = await send(
      'payment_intent.succeeded',
      fixture('payment_intent', { id: succeeded, status: 'succeeded', amount: 2500, amount_received: 2500, customer: 'cus_1', receipt_email: 'a@example.com', metadata: META, last_payment_error: null }),
      at(5),
    );
    expect(row('payment_intents', succeeded)).toMatchObject({ status: 'succeeded', amount_received: 2500, customer: 'cus_1', succeeded_at: event.created });

    const failed = uid('pi');
    await send(
      'payment_intent.payment_failed',
      fixture('payment_intent', {
        id: failed, status: 'requires_payment_method', metadata: META,
        last_payment_error: { type: 'card_error', code: 'card_declined', decline_code: 'insufficient_funds', message: 'Your card has insufficient funds.', payment_method: { type: 'card', card: { brand: 'mastercard', country: 'DE' } } },
      }),
    );
    expect(row('payment_intents', failed)).toMatchObject({
      failure_code: 'card_declined', decline_code: 'insufficient_funds', failure_message: 'Your card has insufficient funds.',
      payment_method_type: 'card', card_brand: 'mastercard', card_country: 'DE',
    });

    const canceled = uid('pi');
    await send('payment_intent.canceled', fixture('payment_intent', { id: canceled, status: 'canceled', cancellation_reason: 'abandoned', metadata: META, last_payment_error: null }));
    expect(row('payment_intents', canceled)).toMatchObject({ status: 'canceled', cancellation_reason: 'abandoned', canceled_at: 1234567890 });
  });
});

describe('charge.*', () => {
  it('succeeded, captured, failed and refunded land in charges and enrich their payment intent', async () => {
    const pi = uid('pi');
    const ch = uid('ch');
    await send('payment_intent.succeeded', fixture('payment_intent', { id: pi, status: 'succeeded', amount_received: 1099, metadata: META, last_payment_error: null }));
    await send(
      'charge.succeeded',
      fixture('charge', { id: ch, payment_intent: pi, amount: 1099, amount_captured: 1099, captured: true, status: 'succeeded', metadata: META, outcome: { type: 'authorized', network_status: 'approved_by_network', risk_level: 'normal', seller_message: 'Payment complete.', reason: null } }),
    );
    expect(row('charges', ch)).toMatchObject({
      payment_intent: pi, status: 'succeeded', amount_captured: 1099, captured: 1, card_brand: 'visa', card_country: 'US', payment_method_type: 'card',
      outcome_type: 'authorized', network_status: 'approved_by_network', risk_level: 'normal', client_id: 'site_1',
    });
    expect(row('payment_intents', pi)).toMatchObject({ latest_charge: ch, card_brand: 'visa', card_country: 'US' });

    const uncaptured = uid('ch');
    await send('charge.succeeded', fixture('charge', { id: uncaptured, amount: 500, captured: false, amount_captured: 0, status: 'succeeded', metadata: META }), at(0));
    await send('charge.captured', fixture('charge', { id: uncaptured, amount: 500, captured: true, amount_captured: 500, status: 'succeeded', metadata: META }), at(1));
    expect(row('charges', uncaptured)).toMatchObject({ captured: 1, amount_captured: 500 });

    const failed = uid('ch');
    await send('charge.failed', fixture('charge', { id: failed, status: 'failed', paid: false, failure_code: 'card_declined', failure_message: 'Your card was declined.', metadata: META, outcome: { type: 'issuer_declined', reason: 'generic_decline', network_status: 'declined_by_network', seller_message: 'The bank did not return any further details with this decline.', risk_level: 'normal' } }));
    expect(row('charges', failed)).toMatchObject({ status: 'failed', failure_code: 'card_declined', outcome_type: 'issuer_declined', outcome_reason: 'generic_decline', network_status: 'declined_by_network' });

    await send('charge.refunded', fixture('charge', { id: ch, payment_intent: pi, amount: 1099, amount_captured: 1099, amount_refunded: 1099, refunded: true, captured: true, status: 'succeeded', metadata: META }), at(10));
    expect(row('charges', ch)).toMatchObject({ amount_refunded: 1099, refunded: 1 });
  });

  it('charge.dispute.created and charge.dispute.closed land in disputes', async () => {
    const dp = uid('dp');
    await send('charge.dispute.created', fixture('dispute', { id: dp, charge: uid('ch'), status: 'needs_response', reason: 'fraudulent' }), at(0));
    expect(row('disputes', dp)).toMatchObject({ status: 'needs_response', reason: 'fraudulent', amount: 1000, closed_at: null });
    const closed = await send('charge.dispute.closed', fixture('dispute', { id: dp, status: 'lost', reason: 'fraudulent' }), at(50));
    expect(row('disputes', dp)).toMatchObject({ status: 'lost', closed_at: closed.created });
  });
});

describe('refund.*', () => {
  it('created, updated and failed land in refunds', async () => {
    const re = uid('re');
    await send('refund.created', fixture('refund', { id: re, status: 'pending', amount: 300, reason: 'requested_by_customer' }), at(0));
    expect(row('refunds', re)).toMatchObject({ status: 'pending', amount: 300, reason: 'requested_by_customer' });
    await send('refund.updated', fixture('refund', { id: re, status: 'succeeded', amount: 300 }), at(5));
    expect(row('refunds', re)).toMatchObject({ status: 'succeeded', reason: 'requested_by_customer' });
    await send('refund.failed', fixture('refund', { id: re, status: 'failed', failure_reason: 'expired_or_canceled_card', amount: 300 }), at(9));
    expect(row('refunds', re)).toMatchObject({ status: 'failed', failure_reason: 'expired_or_canceled_card' });
  });
});

describe('checkout.session.completed', () => {
  it('lands in checkout_sessions with its links, email and metadata', async () => {
    const cs = uid('cs');
    await send(
      'checkout.session.completed',
      fixture('checkout.session', { id: cs, status: 'complete', payment_status: 'paid', amount_total: 4200, currency: 'eur', payment_intent: uid('pi'), client_reference_id: 'sess_ref', metadata: { client_id: 'site_1' } }),
    );
    expect(row('checkout_sessions', cs)).toMatchObject({
      status: 'complete', payment_status: 'paid', amount_total: 4200, currency: 'eur', customer_email: 'example@example.com',
      client_reference_id: 'sess_ref', session_id: 'sess_ref', client_id: 'site_1', mode: 'payment',
    });
  });
});

describe('customer.subscription.*', () => {
  const price = (overrides: Record<string, unknown>) => fixture('price', overrides);
  const item = (p: Record<string, unknown>, quantity: number) => fixture('subscription_item', { id: uid('si'), price: p, quantity, plan: undefined });
  const items = (...data: Record<string, unknown>[]) => ({ object: 'list', data, has_more: false, url: '/v1/subscription_items' });

  it('created, updated and deleted keep items, price, interval, quantity and MRR, with one history row per event', async () => {
    const sub = uid('sub');
    const monthly = items(item(price({ id: 'price_monthly', unit_amount: 2000 }), 1));
    await send('customer.subscription.created', fixture('subscription', { id: sub, status: 'active', items: monthly, metadata: META }), at(0));
    expect(row('subscriptions', sub)).toMatchObject({ status: 'active', currency: 'usd', mrr: 2000, customer: 'cus_QXg1o8vcGmoR32', session_id: 'sess_abc' });
    const stored = JSON.parse(row('subscriptions', sub)!.items as string);
    expect(stored).toEqual([expect.objectContaining({ price: 'price_monthly', unit_amount: 2000, interval: 'month', interval_count: 1, quantity: 1, product: 'prod_QXg1hqf4jFNsqG' })]);

    // Yearly price of 120.00, quantity 3, 25% off → 120 * 3 / 12 * 0.75 = 22.50 a month.
    const yearly = items(item(price({ id: 'price_yearly', unit_amount: 12000, unit_amount_decimal: '12000', recurring: { interval: 'year', interval_count: 1, usage_type: 'licensed', meter: null, trial_period_days: null } }), 3));
    const discount = fixture('discount', { subscription: sub, source: { type: 'coupon', coupon: fixture('coupon', { percent_off: 25, amount_off: null }) } });
    await send('customer.subscription.updated', fixture('subscription', { id: sub, status: 'active', items: yearly, discounts: [discount], metadata: META }), at(10));
    expect(row('subscriptions', sub)).toMatchObject({ mrr: 2250 });
    expect(JSON.parse(row('subscriptions', sub)!.items as string)[0]).toMatchObject({ interval: 'year', quantity: 3, unit_amount: 12000 });

    await send('customer.subscription.deleted', fixture('subscription', { id: sub, status: 'canceled', items: yearly, discounts: [discount], metadata: META }), at(20));
    expect(row('subscriptions', sub)).toMatchObject({ status: 'canceled', canceled_at: 1234567890 });

    const history = rows('SELECT status, mrr, at FROM subscription_history WHERE subscription_id = ? ORDER BY at', sub);
    expect(history).toEqual([
      { status: 'active', mrr: 2000, at: at(0) },
      { status: 'active', mrr: 2250, at: at(10) },
      { status: 'canceled', mrr: 2250, at: at(20) },
    ]);
  });

  it('applies a legacy single discount with an expanded coupon, and an amount-off coupon per month', async () => {
    const sub = uid('sub');
    const quarterly = items(item(price({ unit_amount: 3000, recurring: { interval: 'month', interval_count: 3, usage_type: 'licensed', meter: null, trial_period_days: null } }), 1));
    await send('customer.subscription.created', fixture('subscription', { id: sub, status: 'active', items: quarterly, discount: { coupon: fixture('coupon', { percent_off: 50, amount_off: null }) } }));
    expect(row('subscriptions', sub)).toMatchObject({ mrr: 500 });
    // 120.00 a year with 12.00 off each yearly invoice is 9.00 a month.
    const other = uid('sub');
    const yearly = items(item(price({ unit_amount: 12000, recurring: { interval: 'year', interval_count: 1, usage_type: 'licensed', meter: null, trial_period_days: null } }), 1));
    await send('customer.subscription.created', fixture('subscription', { id: other, status: 'active', items: yearly, discounts: [fixture('discount', { source: { type: 'coupon', coupon: fixture('coupon', { percent_off: null, amount_off: 1200 }) } })] }));
    expect(row('subscriptions', other)).toMatchObject({ mrr: 900 });
    // The same discount in the legacy `discount` field and in expanded `discounts` counts once.
    const both = uid('sub');
    const shared = fixture('discount', { id: 'di_shared', coupon: fixture('coupon', { percent_off: 50, amount_off: null }) });
    await send('customer.subscription.created', fixture('subscription', { id: both, status: 'active', items: quarterly, discount: shared, discounts: [shared] }));
    expect(row('subscriptions', both)).toMatchObject({ mrr: 500 });
  });
});

describe('invoice.*', () => {
  it('paid, payment_succeeded and payment_failed land in invoices with their totals and links', async () => {
    const inv = uid('in');
    const pi = uid('pi');
    const sub = uid('sub');
    const parent = { type: 'subscription_details', quote_details: null, subscription_details: { metadata: {}, subscription: sub } };
    await send('invoice.payment_failed', fixture('invoice', { id: inv, status: 'open', amount_due: 1000, amount_paid: 0, payment_intent: pi, parent, billing_reason: 'subscription_create' }), at(0));
    expect(row('invoices', inv)).toMatchObject({ status: 'open', amount_due: 1000, amount_paid: 0, amount_remaining: 1000, payment_intent: pi, subscription: sub, billing_reason: 'subscription_create', paid_at: null });
    const paidAt = at(30);
    const paid = { status: 'paid', amount_due: 1000, amount_paid: 1000, amount_remaining: 0, payment_intent: pi, parent, status_transitions: { finalized_at: at(0), marked_uncollectible_at: null, paid_at: paidAt, voided_at: null } };
    await send('invoice.payment_succeeded', fixture('invoice', { id: inv, ...paid }), at(30));
    await send('invoice.paid', fixture('invoice', { id: inv, ...paid }), at(30));
    expect(row('invoices', inv)).toMatchObject({ status: 'paid', amount_paid: 1000, amount_remaining: 0, paid_at: paidAt, total: expect.any(Number) });
    expect(JSON.parse(row('invoices', inv)!.lines as string)[0]).toMatchObject({ amount: 1000, currency: 'usd', quantity: 1 });
  });
});

describe('every handled type', () => {
  it('was delivered above and marked handled', () => {
    expect([...HANDLED_EVENT_TYPES].filter((t) => !delivered.has(t))).toEqual([]);
    const unhandled = rows('SELECT type FROM events WHERE handled = 0');
    expect(unhandled).toEqual([]);
  });
});

describe('event types not used for reports', () => {
  it('stores them with handled=0 and says so in the delivery log', async () => {
    const event = makeEvent('customer.created', fixture('customer', { id: uid('cus') }));
    await ok(event);
    expect(row('events', event.id)).toMatchObject({ type: 'customer.created', handled: 0 });
    expect(delivery(event.id)).toMatchObject({ status: 200, outcome: 'stored', result: 'stored (not used for reports)' });
    const detail = await server.api<{ usedForReports: boolean }>('deliveries.get', { id: delivery(event.id)!.id });
    expect(detail.usedForReports).toBe(false);
  });
});
