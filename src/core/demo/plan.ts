// The demo store's contents, decided up front from the seed: visitors and their sessions
// (as pageview rows for the importer) and the Stripe events their purchases produce.
import type { Random } from './random';
import { type Card, charge, dispute, event, invoice, paymentIntent, refund, subscription, type StripeObject } from './stripe-shapes';

const DAY = 86_400;

export interface PageviewRow {
  session_id: string; anonymous_id: string; time: string; path: string; referrer: string;
  utm_source: string; utm_medium: string; utm_campaign: string; utm_term: string; utm_content: string;
  country: string; region: string; city: string; device_type: string; browser_name: string; os_name: string;
}

export interface DemoEvent {
  created: number;
  /** Events of one payment or subscription share a key and are delivered one after another. */
  key: string;
  body: ReturnType<typeof event>;
}

interface Channel { source: string; medium: string; campaign: string; referrer: string; weight: number; converts: number; term?: string; affiliate?: string }
const CHANNELS: Channel[] = [
  { source: 'google', medium: 'cpc', campaign: 'spring_sale', referrer: 'https://www.google.com/', weight: 22, converts: 0.07, term: 'running shoes' },
  { source: '', medium: '', campaign: '', referrer: 'https://www.google.com/', weight: 20, converts: 0.05 },
  { source: 'facebook', medium: 'paid_social', campaign: 'retargeting', referrer: 'https://m.facebook.com/', weight: 14, converts: 0.04 },
  { source: 'newsletter', medium: 'email', campaign: 'weekly_digest', referrer: '', weight: 10, converts: 0.1 },
  { source: 'twitter', medium: 'social', campaign: 'launch_thread', referrer: 'https://t.co/', weight: 6, converts: 0.02 },
  { source: 'partner', medium: 'affiliate', campaign: 'partner_program', referrer: 'https://reviews.example.net/', weight: 6, converts: 0.08, affiliate: 'aff_reviewsite' },
  { source: 'bing', medium: 'cpc', campaign: 'spring_sale', referrer: 'https://www.bing.com/', weight: 4, converts: 0.05 },
  { source: '', medium: '', campaign: '', referrer: '', weight: 18, converts: 0.06 },
];
const PLACES = [
  ['US', 'California', 'San Francisco', 30], ['US', 'New York', 'New York', 20], ['GB', 'England', 'London', 12], ['DE', 'Berlin', 'Berlin', 10],
  ['FR', 'Île-de-France', 'Paris', 8], ['CA', 'Ontario', 'Toronto', 6], ['JP', 'Tokyo', 'Tokyo', 10], ['JP', 'Osaka', 'Osaka', 4],
] as const;
const DEVICES = [
  [['desktop', 'Chrome', 'Windows'], 30], [['desktop', 'Safari', 'macOS'], 15], [['desktop', 'Firefox', 'Linux'], 4],
  [['mobile', 'Mobile Safari', 'iOS'], 30], [['mobile', 'Chrome', 'Android'], 18], [['tablet', 'Mobile Safari', 'iPadOS'], 3],
] as const;
const LANDINGS = ['/', '/', '/products/trail-runner', '/products/city-sneaker', '/blog/how-to-choose-running-shoes', '/sale'];
const BROWSE = ['/products/trail-runner', '/products/city-sneaker', '/products/socks', '/sale', '/about', '/cart'];
const PRODUCTS = { usd: [2900, 4900, 8900, 12900, 1999], jpy: [3200, 5400, 9800, 14800] } as const;
const CARDS: Card[] = [
  { brand: 'visa', country: 'US' }, { brand: 'mastercard', country: 'US' }, { brand: 'amex', country: 'US' }, { brand: 'visa', country: 'GB' },
  { brand: 'mastercard', country: 'DE' }, { brand: 'jcb', country: 'JP' }, { brand: 'visa', country: 'JP' },
];
const DECLINES = [
  ['card_declined', 'insufficient_funds', 'Your card has insufficient funds.'], ['card_declined', 'generic_decline', 'Your card was declined.'],
  ['expired_card', '', 'Your card has expired.'], ['incorrect_cvc', '', "Your card's security code is incorrect."], ['card_declined', 'do_not_honor', 'Your card was declined.'],
] as const;

export interface DemoPlan {
  pageviews: PageviewRow[];
  events: DemoEvent[];
  sessions: number;
  visitors: number;
  payments: number;
}

export function planDemo(rng: Random, options: { days: number; end: number }): DemoPlan {
  const start = options.end - options.days * DAY;
  const pageviews: PageviewRow[] = [];
  const events: DemoEvent[] = [];
  const emit = (type: string, created: number, object: StripeObject, key: string) => events.push({ created, key, body: event(rng.id('evt_', 24), type, created, object) });
  const iso = (t: number) => new Date(t * 1000).toISOString();
  const visitors = Math.round(11_000 * (options.days / 90));
  let sessions = 0;
  let payments = 0;
  const succeeded: Array<{ pi: string; ch: string; amount: number; currency: string; at: number }> = [];

  for (let v = 0; v < visitors; v++) {
    const anon = `anon_${rng.id('', 20)}`;
    const place = rng.weighted(PLACES.map((p) => [p, p[3]] as const));
    const device = rng.weighted(DEVICES.map(([d, w]) => [d as readonly string[], w] as const));
    const currency = place[0] === 'JP' ? 'jpy' : 'usd';
    const customer = rng.chance(0.6) ? rng.id('cus_') : null;
    const email = `shopper${v}@example.com`;
    let t = start + rng.int(0, options.days * DAY - 1);
    const visits = rng.weighted([[1, 45], [2, 25], [3, 14], [4, 8], [6, 5], [9, 3]] as const);
    for (let k = 0; k < visits && t < options.end - 3600; k++) {
      const channel = rng.weighted(CHANNELS.map((c) => [c, c.weight] as const));
      const sessionId = `sess_${rng.id('', 22)}`;
      sessions++;
      const pages = rng.int(1, 7);
      let pt = t;
      for (let p = 0; p < pages; p++) {
        pageviews.push({
          session_id: sessionId, anonymous_id: anon, time: iso(pt), path: p === 0 ? rng.pick(LANDINGS) : rng.pick(BROWSE), referrer: p === 0 ? channel.referrer : '',
          utm_source: p === 0 ? channel.source : '', utm_medium: p === 0 ? channel.medium : '', utm_campaign: p === 0 ? channel.campaign : '',
          utm_term: p === 0 && channel.term ? channel.term : '', utm_content: p === 0 && channel.source === 'facebook' ? rng.pick(['carousel', 'video']) : '',
          country: place[0], region: place[1], city: place[2], device_type: device[0], browser_name: device[1], os_name: device[2],
        });
        pt += rng.int(15, 240);
      }
      if (rng.chance(channel.converts * (k + 1))) {
        payments++;
        const paidAt = pt + rng.int(30, 300);
        const amount = rng.pick(PRODUCTS[currency]);
        const metadata: Record<string, string> = { client_id: 'demo_shop' };
        // Most checkouts pass the analytics ids; some forget, some name a session never exported.
        if (rng.chance(0.93)) metadata.session_id = rng.chance(0.97) ? sessionId : `sess_${rng.id('', 22)}`;
        if (metadata.session_id && rng.chance(0.7)) metadata.anonymous_id = anon;
        if (channel.affiliate) metadata.affiliate_id = channel.affiliate;
        if (channel.campaign) metadata.campaign = channel.campaign;
        purchase(rng, emit, { amount, currency, at: paidAt, customer, email, metadata, succeeded });
      }
      t = pt + rng.int(3600, 12 * DAY);
    }
  }
  refundsAndDisputes(rng, emit, succeeded, options.end);
  payments += subscriptions(rng, emit, start, options.end);
  events.sort((a, b) => a.created - b.created);
  return { pageviews, events, sessions, visitors, payments };
}

type Emit = (type: string, created: number, object: StripeObject, key: string) => void;

function purchase(
  rng: Random,
  emit: Emit,
  o: { amount: number; currency: string; at: number; customer: string | null; email: string; metadata: Record<string, string>; succeeded: Array<{ pi: string; ch: string; amount: number; currency: string; at: number }> },
) {
  const id = rng.id('pi_', 24);
  const card = rng.pick(CARDS);
  const base = { id, amount: o.amount, currency: o.currency, created: o.at, customer: o.customer, email: o.email, metadata: o.metadata };
  emit('payment_intent.created', o.at, paymentIntent({ ...base, status: 'requires_payment_method' }), id);
  const path = rng.weighted([['ok', 82], ['declined_then_ok', 5], ['declined', 6], ['action_then_ok', 4], ['action_abandoned', 3]] as const);
  let t = o.at + rng.int(2, 20);
  if (path === 'declined' || path === 'declined_then_ok') {
    const [code, decline, message] = rng.pick(DECLINES);
    emit('payment_intent.payment_failed', t, paymentIntent({ ...base, status: 'requires_payment_method', error: { code, decline_code: decline || undefined, message, card } }), id);
    t += rng.int(30, 600);
    if (path === 'declined') return;
  }
  if (path === 'action_then_ok' || path === 'action_abandoned') {
    emit('payment_intent.requires_action', t, paymentIntent({ ...base, status: 'requires_action' }), id);
    t += rng.int(20, 300);
    if (path === 'action_abandoned') {
      emit('payment_intent.canceled', t + DAY, paymentIntent({ ...base, status: 'canceled' }), id);
      return;
    }
  }
  const ch = rng.id('ch_', 24);
  emit('charge.succeeded', t, charge({ id: ch, paymentIntent: id, amount: o.amount, currency: o.currency, created: t, customer: o.customer, email: o.email, card, metadata: o.metadata }), id);
  emit('payment_intent.succeeded', t, paymentIntent({ ...base, status: 'succeeded', latestCharge: ch }), id);
  o.succeeded.push({ pi: id, ch, amount: o.amount, currency: o.currency, at: t });
}

function refundsAndDisputes(rng: Random, emit: Emit, succeeded: Array<{ pi: string; ch: string; amount: number; currency: string; at: number }>, end: number) {
  succeeded.forEach((p) => {
    if (!rng.chance(0.06)) return;
    const at = Math.min(end - 60, p.at + rng.int(DAY / 2, 14 * DAY));
    const full = rng.chance(0.5);
    const amount = full ? p.amount : Math.max(1, Math.round(p.amount * rng.pick([0.2, 0.25, 0.5])));
    const id = rng.id('re_', 24);
    emit('refund.created', at, refund({ id, charge: p.ch, paymentIntent: p.pi, amount, currency: p.currency, created: at, reason: full ? 'requested_by_customer' : 'duplicate' }), p.pi);
  });
  // One dispute lost, one won, on two early payments.
  for (const [p, outcome] of [[succeeded[3], 'lost'], [succeeded[11], 'won']] as const) {
    if (!p) continue;
    const id = rng.id('dp_', 24);
    const created = p.at + 5 * DAY;
    emit('charge.dispute.created', created, dispute({ id, charge: p.ch, paymentIntent: p.pi, amount: p.amount, currency: p.currency, created, status: 'needs_response' }), p.pi);
    emit('charge.dispute.closed', Math.min(end - 60, created + 12 * DAY), dispute({ id, charge: p.ch, paymentIntent: p.pi, amount: p.amount, currency: p.currency, created, status: outcome }), p.pi);
  }
}

/** Monthly plans: upgrades, downgrades and cancellations, each invoice paid through a payment intent. */
function subscriptions(rng: Random, emit: Emit, start: number, end: number): number {
  const PLANS = [['price_basic', 1900], ['price_pro', 4900], ['price_team', 9900]] as const;
  let payments = 0;
  const count = Math.max(6, Math.round(((end - start) / DAY / 90) * 60));
  for (let i = 0; i < count; i++) {
    const sub = rng.id('sub_', 24);
    const customer = rng.id('cus_');
    const email = `subscriber${i}@example.com`;
    let plan = rng.int(0, 1);
    let quantity = 1;
    let at = start + rng.int(0, Math.floor((end - start) * 0.8));
    const metadata = { client_id: 'demo_shop' };
    const state = (status: string, when: number, canceledAt: number | null = null) =>
      subscription({ id: sub, customer, status, created: when, currency: 'usd', price: PLANS[plan][0], unitAmount: PLANS[plan][1], quantity, metadata, canceledAt });
    emit('customer.subscription.created', at, state('active', at), sub);
    const bill = (when: number) => {
      const pi = rng.id('pi_', 24);
      const inv = rng.id('in_', 24);
      const amount = PLANS[plan][1] * quantity;
      const ch = rng.id('ch_', 24);
      const card = rng.pick(CARDS);
      emit('charge.succeeded', when, charge({ id: ch, paymentIntent: pi, amount, currency: 'usd', created: when, customer, email, card, metadata, invoice: inv }), sub);
      emit('payment_intent.succeeded', when, paymentIntent({ id: pi, amount, currency: 'usd', status: 'succeeded', created: when, customer, email, metadata, latestCharge: ch, invoice: inv }), sub);
      emit('invoice.paid', when + 1, invoice({ id: inv, customer, subscription: sub, paymentIntent: pi, amount, currency: 'usd', created: when, email }), sub);
      payments++;
    };
    bill(at + 1);
    const fate = rng.weighted([['stay', 45], ['upgrade', 20], ['downgrade', 10], ['seats', 10], ['cancel', 15]] as const);
    while ((at += 30 * DAY) < end) {
      if (fate === 'upgrade' && plan < 2 && rng.chance(0.5)) plan++;
      else if (fate === 'downgrade' && plan > 0 && rng.chance(0.5)) plan--;
      else if (fate === 'seats' && rng.chance(0.5)) quantity++;
      else if (fate === 'cancel' && rng.chance(0.5)) {
        emit('customer.subscription.deleted', at, state('canceled', at, at), sub);
        break;
      }
      emit('customer.subscription.updated', at, state('active', at), sub);
      bill(at + 1);
    }
  }
  return payments;
}
