// Webhook flows across several events: duplicates, out-of-order arrival, refunds, disputes,
// odd currencies, checkout attribution and invoices paid by payment intents.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PaymentDetail, PaymentSummary } from '../src/shared/api/payments';
import { fixture, makeEvent } from './helpers/fixtures';
import { startTestServer, type TestServer } from './helpers/server';
import { at, reader, uid } from './helpers/state';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ clientIds: ['site_1', 'site_2'] });
});
afterAll(async () => server?.close());
const { row, rows, one, ok, delivery } = reader(() => server);

const META = { client_id: 'site_1', session_id: 'sess_flow' };
const pi = (id: string, overrides: Record<string, unknown> = {}) => fixture('payment_intent', { id, metadata: META, last_payment_error: null, ...overrides });
const send = (type: string, object: Record<string, unknown>, created = at(0)) => ok(makeEvent(type, object, { created }));
const payments = () => server.api<PaymentSummary[]>('payments.list', { limit: 1000 });
const payment = (id: string) => server.api<PaymentDetail>('payments.get', { id });

describe('duplicates', () => {
  it('applies one event delivered five times once', async () => {
    const id = uid('pi');
    const event = makeEvent('payment_intent.succeeded', pi(id, { status: 'succeeded', amount_received: 1099 }));
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await server.deliver(event));
    expect(answers.map((a) => [a.status, a.body.duplicate])).toEqual([[200, false], [200, true], [200, true], [200, true], [200, true]]);
    expect(one('SELECT count(*) n FROM events WHERE id = ?', event.id)).toEqual({ n: 1 });
    expect(one('SELECT count(*) n FROM payment_intents WHERE id = ?', id)).toEqual({ n: 1 });
    const logged = rows('SELECT outcome, result, status FROM deliveries WHERE event_id = ? ORDER BY id', event.id);
    expect(logged).toHaveLength(5);
    expect(logged.slice(1).every((d) => d.outcome === 'duplicate' && d.status === 200 && d.result === 'duplicate: already stored, no second effect')).toBe(true);

    // Concurrent duplicates (Stripe retrying while the first is in flight) still store one event.
    const burst = makeEvent('payment_intent.succeeded', pi(uid('pi'), { status: 'succeeded', amount_received: 700 }));
    const parallel = await Promise.all(Array.from({ length: 5 }, () => server.deliver(burst)));
    expect(parallel.filter((a) => a.body.duplicate === false)).toHaveLength(1);
    expect(one('SELECT count(*) n FROM events WHERE id = ?', burst.id)).toEqual({ n: 1 });
  });
});

describe('out of order', () => {
  it('keeps a payment succeeded when created or requires_action arrive after succeeded', async () => {
    const id = uid('pi');
    await send('payment_intent.succeeded', pi(id, { status: 'succeeded', amount_received: 1099, customer: 'cus_1' }), at(10));
    await send('payment_intent.created', pi(id, { status: 'requires_payment_method', amount_received: 0 }), at(0));
    expect(row('payment_intents', id)).toMatchObject({ status: 'succeeded', amount_received: 1099, succeeded_at: at(10), customer: 'cus_1' });
    await send('payment_intent.requires_action', pi(id, { status: 'requires_action', amount_received: 0 }), at(20));
    expect(row('payment_intents', id)).toMatchObject({ status: 'succeeded', amount_received: 1099 });
    expect((await payment(id)).payment).toMatchObject({ status: 'succeeded', amountReceived: 1099 });
  });

  it('keeps a refund succeeded when refund.created(pending) arrives after refund.updated(succeeded); a later update moves it', async () => {
    const re = uid('re');
    await send('refund.updated', fixture('refund', { id: re, status: 'succeeded', amount: 400 }), at(10));
    await send('refund.created', fixture('refund', { id: re, status: 'pending', amount: 400 }), at(0));
    expect(row('refunds', re)).toMatchObject({ status: 'succeeded' });
    await send('refund.updated', fixture('refund', { id: re, status: 'failed', failure_reason: 'lost_or_stolen_card', amount: 400 }), at(30));
    expect(row('refunds', re)).toMatchObject({ status: 'failed', failure_reason: 'lost_or_stolen_card' });
  });

  it('moves a pending refund to succeeded when the update arrives later', async () => {
    const re = uid('re');
    await send('refund.created', fixture('refund', { id: re, status: 'pending', amount: 400 }), at(0));
    await send('refund.updated', fixture('refund', { id: re, status: 'succeeded', amount: 400 }), at(5));
    expect(row('refunds', re)).toMatchObject({ status: 'succeeded' });
  });
});

describe('charge before its payment intent', () => {
  it('fills the card facts of a payment whose charge event arrived first', async () => {
    const id = uid('pi');
    const charge = fixture('charge', { id: uid('ch'), payment_intent: id, receipt_email: 'buyer@example.com' });
    await send('charge.succeeded', charge, at(1));
    await send('payment_intent.succeeded', pi(id, { status: 'succeeded', amount_received: 100, latest_charge: null }), at(2));
    expect(one('SELECT card_brand, card_country, latest_charge, receipt_email FROM payment_intents WHERE id = ?', id)).toEqual({
      card_brand: 'visa',
      card_country: 'US',
      latest_charge: charge.id,
      receipt_email: 'buyer@example.com',
    });
  });
});

describe('refunds', () => {
  it('shows a partial and then a full refund on the payment, linked through the charge', async () => {
    const id = uid('pi');
    const ch = uid('ch');
    await send('payment_intent.succeeded', pi(id, { status: 'succeeded', amount: 5000, amount_received: 5000, latest_charge: ch }), at(0));
    await send('charge.succeeded', fixture('charge', { id: ch, payment_intent: id, amount: 5000, amount_captured: 5000, captured: true, metadata: META }), at(0));

    // Partial: the refund names only its charge (payment_intent null), as Stripe's example does.
    const partial = uid('re');
    await send('refund.created', fixture('refund', { id: partial, charge: ch, payment_intent: null, amount: 1500, status: 'succeeded' }), at(10));
    await send('charge.refunded', fixture('charge', { id: ch, payment_intent: id, amount: 5000, amount_captured: 5000, amount_refunded: 1500, refunded: false, captured: true, metadata: META }), at(10));
    expect(row('refunds', partial)).toMatchObject({ payment_intent: id, charge: ch });
    expect(row('charges', ch)).toMatchObject({ amount_refunded: 1500, refunded: 0 });
    let detail = await payment(id);
    expect(detail.payment.amountRefunded).toBe(1500);
    expect(detail.refunds.map((r) => r.id)).toEqual([partial]);

    // Full: the rest, arriving as charge.refunded with the refund listed inside the charge.
    const rest = uid('re');
    const restRefund = fixture('refund', { id: rest, charge: ch, payment_intent: id, amount: 3500, status: 'succeeded', created: 1234567990 });
    await send('charge.refunded', fixture('charge', { id: ch, payment_intent: id, amount: 5000, amount_captured: 5000, amount_refunded: 5000, refunded: true, captured: true, metadata: META, refunds: { object: 'list', data: [restRefund], has_more: false, url: `/v1/charges/${ch}/refunds` } }), at(20));
    expect(row('charges', ch)).toMatchObject({ amount_refunded: 5000, refunded: 1 });
    detail = await payment(id);
    expect(detail.payment.amountRefunded).toBe(5000);
    expect(detail.refunds.map((r) => r.id).sort()).toEqual([partial, rest].sort());
    expect(detail.events.map((e) => e.type)).toEqual(expect.arrayContaining(['payment_intent.succeeded', 'charge.succeeded', 'charge.refunded', 'refund.created']));
  });

  it('links a refund that arrives before its charge once the charge arrives', async () => {
    const id = uid('pi');
    const ch = uid('ch');
    const re = uid('re');
    await send('refund.created', fixture('refund', { id: re, charge: ch, payment_intent: null, amount: 100, status: 'succeeded' }), at(10));
    expect(row('refunds', re)).toMatchObject({ payment_intent: null });
    await send('payment_intent.succeeded', pi(id, { status: 'succeeded', amount: 100, amount_received: 100 }), at(0));
    await send('charge.succeeded', fixture('charge', { id: ch, payment_intent: id, amount: 100, amount_captured: 100, captured: true, metadata: META }), at(0));
    expect(row('refunds', re)).toMatchObject({ payment_intent: id });
    expect((await payment(id)).payment.amountRefunded).toBe(100);
  });

  it('counts the refunded amount a charge reports even when no refund event arrived', async () => {
    const id = uid('pi');
    const ch = uid('ch');
    await send('payment_intent.succeeded', pi(id, { status: 'succeeded', amount: 2000, amount_received: 2000 }), at(0));
    await send('charge.refunded', fixture('charge', { id: ch, payment_intent: id, amount: 2000, amount_captured: 2000, amount_refunded: 800, captured: true, metadata: META }), at(5));
    expect((await payment(id)).payment.amountRefunded).toBe(800);
  });
});

describe('disputes', () => {
  it('links a dispute to its payment through the charge (payment_intent null) and follows it to lost', async () => {
    const id = uid('pi');
    const ch = uid('ch');
    const dp = uid('dp');
    await send('payment_intent.succeeded', pi(id, { status: 'succeeded', amount: 1000, amount_received: 1000 }), at(0));
    await send('charge.succeeded', fixture('charge', { id: ch, payment_intent: id, amount: 1000, amount_captured: 1000, captured: true, metadata: META }), at(0));
    await send('charge.dispute.created', fixture('dispute', { id: dp, charge: ch, payment_intent: null, status: 'needs_response', reason: 'fraudulent' }), at(100));
    expect(row('disputes', dp)).toMatchObject({ payment_intent: id, status: 'needs_response' });
    let detail = await payment(id);
    expect(detail.payment.disputed).toBe(true);
    expect(detail.disputes).toEqual([expect.objectContaining({ id: dp, status: 'needs_response', reason: 'fraudulent' })]);
    await send('charge.dispute.closed', fixture('dispute', { id: dp, charge: ch, payment_intent: null, status: 'lost', reason: 'fraudulent' }), at(200));
    detail = await payment(id);
    expect(detail.disputes).toEqual([expect.objectContaining({ id: dp, status: 'lost', closed_at: at(200) })]);
  });

  it('links a dispute that arrives before its charge, and a won dispute stays won against a late created', async () => {
    const id = uid('pi');
    const ch = uid('ch');
    const dp = uid('dp');
    await send('charge.dispute.closed', fixture('dispute', { id: dp, charge: ch, payment_intent: null, status: 'won' }), at(200));
    await send('charge.dispute.created', fixture('dispute', { id: dp, charge: ch, payment_intent: null, status: 'needs_response' }), at(100));
    expect(row('disputes', dp)).toMatchObject({ status: 'won', closed_at: at(200), payment_intent: null });
    await send('charge.succeeded', fixture('charge', { id: ch, payment_intent: id, amount: 1000, amount_captured: 1000, captured: true, metadata: META }), at(0));
    await send('payment_intent.succeeded', pi(id, { status: 'succeeded', amount: 1000, amount_received: 1000 }), at(0));
    expect(row('disputes', dp)).toMatchObject({ payment_intent: id, status: 'won' });
    expect((await payment(id)).payment.disputed).toBe(true);
  });
});

describe('currencies', () => {
  it('stores JPY and KWD amounts as the minor units Stripe sent', async () => {
    const jpy = uid('pi');
    const kwd = uid('pi');
    await send('payment_intent.succeeded', pi(jpy, { status: 'succeeded', amount: 1500, amount_received: 1500, currency: 'jpy' }));
    await send('payment_intent.succeeded', pi(kwd, { status: 'succeeded', amount: 12345, amount_received: 12345, currency: 'KWD' }));
    expect(row('payment_intents', jpy)).toMatchObject({ amount: 1500, amount_received: 1500, currency: 'jpy' });
    expect(row('payment_intents', kwd)).toMatchObject({ amount: 12345, amount_received: 12345, currency: 'kwd' });
    expect((await payment(jpy)).payment).toMatchObject({ amount: 1500, currency: 'jpy' });
    expect((await payment(kwd)).payment).toMatchObject({ amount: 12345, currency: 'kwd' });
  });
});

describe('checkout session attribution', () => {
  const noMeta = (id: string) => pi(id, { status: 'succeeded', amount_received: 4200, metadata: {} });
  const session = (piId: string, overrides: Record<string, unknown>) =>
    fixture('checkout.session', { id: uid('cs'), payment_intent: piId, status: 'complete', payment_status: 'paid', amount_total: 4200, currency: 'usd', ...overrides });

  it.each([
    ['payment intent first', 'metadata.session_id', true],
    ['checkout session first', 'metadata.session_id', false],
    ['payment intent first', 'client_reference_id', true],
    ['checkout session first', 'client_reference_id', false],
  ])('gives the payment intent the checkout session_id (%s, %s)', async (_order, carrier, piFirst) => {
    const id = uid('pi');
    const cs = session(id, carrier === 'client_reference_id' ? { client_reference_id: 'sess_from_checkout', metadata: { client_id: 'site_2' } } : { metadata: { session_id: 'sess_from_checkout', client_id: 'site_2' } });
    if (piFirst) {
      await send('payment_intent.succeeded', noMeta(id), at(0));
      await send('checkout.session.completed', cs, at(1));
    } else {
      await send('checkout.session.completed', cs, at(1));
      await send('payment_intent.succeeded', noMeta(id), at(0));
    }
    expect(row('payment_intents', id)).toMatchObject({ session_id: 'sess_from_checkout', client_id: 'site_2', attribution_source: 'checkout_session', checkout_session: cs.id });
    // A later event of the payment intent (still without metadata) does not wipe what was inherited.
    await send('payment_intent.succeeded', noMeta(id), at(5));
    expect(row('payment_intents', id)).toMatchObject({ session_id: 'sess_from_checkout', attribution_source: 'checkout_session' });
    const summary = (await payment(id)).payment;
    expect(summary).toMatchObject({ sessionId: 'sess_from_checkout', clientId: 'site_2', email: 'example@example.com' });
    expect(summary.unattributedReason).toMatch(/not in the imported analytics data/);
  });

  it('does not override a session_id the payment intent carries itself', async () => {
    const id = uid('pi');
    await send('payment_intent.succeeded', pi(id, { status: 'succeeded', metadata: { client_id: 'site_1', session_id: 'sess_own' } }), at(0));
    await send('checkout.session.completed', session(id, { metadata: { session_id: 'sess_other' } }), at(1));
    expect(row('payment_intents', id)).toMatchObject({ session_id: 'sess_own', attribution_source: 'payment_intent' });
  });

  it('gives a subscription payment the session of the checkout that started the subscription', async () => {
    const sub = uid('sub');
    const inv = uid('in');
    const id = uid('pi');
    await send('checkout.session.completed', session(null as never, { mode: 'subscription', payment_intent: null, subscription: sub, invoice: inv, metadata: { session_id: 'sess_sub', client_id: 'site_1' } }), at(0));
    await send('customer.subscription.created', fixture('subscription', { id: sub, status: 'active', metadata: {} }), at(0));
    expect(row('subscriptions', sub)).toMatchObject({ session_id: 'sess_sub' });
    await send('payment_intent.succeeded', pi(id, { status: 'succeeded', amount_received: 2000, metadata: {} }), at(2));
    const parent = { type: 'subscription_details', quote_details: null, subscription_details: { metadata: {}, subscription: sub } };
    await send('invoice.paid', fixture('invoice', { id: inv, status: 'paid', amount_paid: 2000, payment_intent: id, parent }), at(3));
    expect(row('payment_intents', id)).toMatchObject({ session_id: 'sess_sub', invoice: inv, attribution_source: 'checkout_session' });
  });
});

describe('invoices and payments', () => {
  const parentOf = (sub: string) => ({ type: 'subscription_details', quote_details: null, subscription_details: { metadata: {}, subscription: sub } });
  const paidInvoice = (id: string, overrides: Record<string, unknown>) =>
    fixture('invoice', { id, status: 'paid', amount_due: 2000, amount_paid: 2000, amount_remaining: 0, ...overrides });
  const ids = async (...wanted: string[]) => (await payments()).filter((p) => wanted.includes(p.id)).map((p) => p.id);

  it.each([true, false])('counts an invoice paid by a payment intent once (legacy payment_intent field, invoice first: %s)', async (invoiceFirst) => {
    const inv = uid('in');
    const id = uid('pi');
    const steps = [
      () => send('invoice.paid', paidInvoice(inv, { payment_intent: id, parent: parentOf(uid('sub')) }), at(1)),
      () => send('payment_intent.succeeded', pi(id, { status: 'succeeded', amount: 2000, amount_received: 2000 }), at(0)),
    ];
    for (const step of invoiceFirst ? steps : steps.reverse()) await step();
    expect(await ids(inv, id)).toEqual([id]);
    expect(row('payment_intents', id)).toMatchObject({ invoice: inv });
  });

  it.each([true, false])('counts an invoice paid by a payment intent once (newer payments list and parent, invoice first: %s)', async (invoiceFirst) => {
    const inv = uid('in');
    const id = uid('pi');
    const sub = uid('sub');
    const invoicePayment = fixture('invoice_payment', { id: uid('inpay'), invoice: inv, amount_paid: 2000, currency: 'usd', status: 'paid', payment: { type: 'payment_intent', payment_intent: id } });
    const invoice = paidInvoice(inv, { payment_intent: undefined, subscription: undefined, parent: parentOf(sub), payments: { object: 'list', data: [invoicePayment], has_more: false, url: `/v1/invoice_payments` } });
    const steps = [
      () => send('invoice.paid', invoice, at(1)),
      () => send('payment_intent.succeeded', pi(id, { status: 'succeeded', amount: 2000, amount_received: 2000 }), at(0)),
    ];
    for (const step of invoiceFirst ? steps : steps.reverse()) await step();
    expect(row('invoices', inv)).toMatchObject({ payment_intent: id, subscription: sub });
    expect(await ids(inv, id)).toEqual([id]);
  });

  it('counts an invoice paid without a payment intent as a payment', async () => {
    const inv = uid('in');
    const sub = uid('sub');
    await send('customer.subscription.created', fixture('subscription', { id: sub, status: 'active', metadata: { client_id: 'site_1', session_id: 'sess_inv' } }), at(0));
    await send('invoice.paid', paidInvoice(inv, { payment_intent: undefined, parent: parentOf(sub), amount_paid: 2000, customer_email: 'b@example.com' }), at(1));
    const found = (await payments()).find((p) => p.id === inv);
    expect(found).toMatchObject({ kind: 'invoice', amount: 2000, amountReceived: 2000, sessionId: 'sess_inv', email: 'b@example.com', status: 'paid' });
    expect((await payment(inv)).payment.id).toBe(inv);
    // A draft with nothing paid is not a payment.
    const draft = uid('in');
    await send('invoice.payment_failed', fixture('invoice', { id: draft, status: 'open', amount_paid: 0 }), at(2));
    expect(await ids(draft)).toEqual([]);
  });
});

describe('client ids', () => {
  it('stores a payment with a client_id outside the endpoint list, with a warning', async () => {
    const id = uid('pi');
    const event = makeEvent('payment_intent.succeeded', pi(id, { status: 'succeeded', metadata: { client_id: 'site_9', session_id: 's' } }));
    const res = await server.deliver(event);
    expect(res.status).toBe(200);
    expect(row('payment_intents', id)).toMatchObject({ client_id: 'site_9' });
    expect(delivery(event.id)).toMatchObject({ outcome: 'warning', status: 200 });
    expect(JSON.parse(delivery(event.id)!.warnings as string)).toEqual([`client_id "site_9" is not one of this endpoint's accepted client ids (site_1, site_2)`]);
  });

  it('stores a payment without client_id as unattributed revenue with a warning', async () => {
    const id = uid('pi');
    const event = makeEvent('payment_intent.succeeded', pi(id, { status: 'succeeded', amount_received: 999, metadata: {} }));
    expect((await server.deliver(event)).status).toBe(200);
    expect(delivery(event.id)).toMatchObject({ outcome: 'warning', result: 'Missing client_id in payment_intent_data.metadata' });
    expect((await payment(id)).payment).toMatchObject({ amountReceived: 999, sessionId: null, unattributedReason: 'No session_id in payment metadata' });
  });
});
