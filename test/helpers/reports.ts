// Hand-built stores for report tests: Stripe objects go in as real signed deliveries,
// analytics sessions are inserted directly.
import { DateTime } from 'luxon';
import { databaseFile, reportCacheFile } from '../../src/core/config/data-dir';
import { openReportStore } from '../../src/core/db/report-store';
import type { Store } from '../../src/core/db/store';
import { fixture, makeEvent } from './fixtures';
import type { TestServer } from './server';

/** A connection to the report cache of `dataDir`, as another process (paylens report) has one. */
export const otherReportConnection = (dataDir: string) => openReportStore(reportCacheFile(dataDir), databaseFile(dataDir));

/** Ends whatever a test left open on such a connection, and closes it. */
export function closeConnection(store: Store | undefined) {
  if (store?.sqlite.inTransaction) store.sqlite.exec('ROLLBACK');
  store?.close();
}

/** Epoch seconds of a local time, e.g. at('2026-03-08T23:30', 'America/New_York'). */
export const at = (iso: string, zone = 'UTC') => Math.floor(DateTime.fromISO(iso, { zone }).toSeconds());

export function stripeStore(server: TestServer) {
  const deliver = async (type: string, object: Record<string, unknown>, created: number) => {
    const res = await server.deliver(makeEvent(type, object, { created }));
    if (res.status !== 200) throw new Error(`delivery of ${type} failed: ${JSON.stringify(res.body)}`);
  };
  const pi = (id: string, o: { amount: number; currency?: string; at: number; status?: string; metadata?: Record<string, string>; customer?: string | null; email?: string | null; error?: Record<string, unknown> | null }) =>
    fixture('payment_intent', {
      id,
      amount: o.amount,
      amount_received: o.status && o.status !== 'succeeded' ? 0 : o.amount,
      currency: o.currency ?? 'usd',
      status: o.status ?? 'succeeded',
      created: o.at,
      customer: o.customer ?? null,
      receipt_email: o.email ?? null,
      invoice: null,
      latest_charge: null,
      last_payment_error: o.error ?? null,
      metadata: { client_id: 'site_1', ...(o.metadata ?? {}) },
    });
  return {
    deliver,
    async pay(id: string, o: Parameters<typeof pi>[1]) {
      await deliver('payment_intent.succeeded', pi(id, o), o.at);
    },
    async attempt(id: string, type: string, o: Parameters<typeof pi>[1]) {
      await deliver(type, pi(id, o), o.at);
    },
    async refund(id: string, paymentIntent: string, amount: number, when: number, currency = 'usd', status = 'succeeded') {
      await deliver('refund.created', fixture('refund', { id, charge: null, payment_intent: paymentIntent, amount, currency, status, created: when }), when);
    },
    async dispute(id: string, paymentIntent: string, amount: number, created: number, outcome: 'lost' | 'won', currency = 'usd') {
      const d = (status: string) => fixture('dispute', { id, charge: null, payment_intent: paymentIntent, amount, currency, status, created });
      await deliver('charge.dispute.created', d('needs_response'), created);
      await deliver('charge.dispute.closed', d(outcome), created + 86_400 * 10);
    },
    async invoicePaid(id: string, amount: number, when: number, customer: string, currency = 'usd') {
      await deliver(
        'invoice.paid',
        fixture('invoice', { id, customer, subscription: null, parent: null, payment_intent: null, charge: null, status: 'paid', amount_due: amount, amount_paid: amount, amount_remaining: 0, currency, created: when, status_transitions: { paid_at: when } }),
        when,
      );
    },
    async subscription(type: string, id: string, customer: string, status: string, unitAmount: number, quantity: number, when: number, currency = 'usd') {
      const base = fixture('subscription');
      const item = (base.items as { data: Array<Record<string, unknown>> }).data[0];
      const price = { ...(item.price as Record<string, unknown>), unit_amount: unitAmount, currency };
      await deliver(
        type,
        { ...base, id, customer, status, currency, created: when, discounts: [], discount: null, items: { object: 'list', data: [{ ...item, price, plan: null, quantity }] } },
        when,
      );
    },
  };
}

export interface SessionInput {
  session_id: string;
  anonymous_id?: string | null;
  started_at: number; // seconds
  utm_source?: string | null;
  utm_medium?: string | null;
  landing_path?: string | null;
  country?: string | null;
}

export function insertSessions(server: TestServer, sessions: SessionInput[]) {
  const insert = server.headless.engine.store.sqlite.prepare(
    `INSERT INTO analytics_sessions (session_id, anonymous_id, started_at, ended_at, landing_path, pageviews, events, utm_source, utm_medium, country)
     VALUES (?, ?, ?, ?, ?, 1, 1, ?, ?, ?)`,
  );
  for (const s of sessions)
    insert.run(s.session_id, s.anonymous_id ?? null, s.started_at * 1000, s.started_at * 1000 + 60_000, s.landing_path ?? '/', s.utm_source ?? null, s.utm_medium ?? null, s.country ?? null);
}
