// Applies a verified Stripe event to the state tables, inside the caller's transaction.
// Idempotency is the caller's (events are deduplicated by id before this runs);
// ordering is handled here, row by row, through `supersedes`.
import { sql } from 'kysely';
import type { Database, MetadataColumns, SubscriptionTable } from '../db/schema';
import type { Store } from '../db/store';
import { ATTRIBUTED_EVENT_TYPES, HANDLED_EVENT_TYPES } from './event-types';
import { supersedes, type OrderedTable } from './status-order';
import { listData, obj, type StripeObject, str } from './stripe-fields';
import {
  chargeRow,
  checkoutSessionRow,
  customerRow,
  disputeRow,
  type EventContext,
  invoiceRow,
  paymentIntentRow,
  refundRow,
  subscriptionRow,
} from './stripe-objects';

export interface StripeEvent {
  id: string;
  type: string;
  created: number;
  livemode: boolean;
  api_version?: string | null;
  data: { object: StripeObject };
}

export interface ApplyResult {
  handled: boolean;
  warnings: string[];
}

type Row = Record<string, unknown>;
const EMPTY_JSON = new Set(['{}', '[]']);
const isEmpty = (value: unknown) => value === null || value === undefined || (typeof value === 'string' && EMPTY_JSON.has(value));

/** Amounts that only grow; a late event must not shrink them. */
const GROWING = new Set(['amount_refunded', 'amount_received', 'amount_captured', 'captured', 'refunded', 'disputed', 'paid']);
/** Times fixed by the first event that set them. */
const EARLIEST = new Set(['succeeded_at', 'closed_at', 'paid_at']);

/** The winner's values, with gaps filled from the other side. */
function merge(existing: Row, incoming: Row, incomingWins: boolean): Row {
  const [primary, secondary] = incomingWins ? [incoming, existing] : [existing, incoming];
  const out: Row = {};
  for (const key of new Set([...Object.keys(existing), ...Object.keys(incoming)])) {
    const a = existing[key];
    const b = incoming[key];
    if (GROWING.has(key) && typeof a === 'number' && typeof b === 'number') out[key] = Math.max(a, b);
    else if (EARLIEST.has(key) && typeof a === 'number' && typeof b === 'number') out[key] = Math.min(a, b);
    else out[key] = isEmpty(primary[key]) ? secondary[key] : primary[key];
  }
  return out;
}

const ATTRIBUTION_KEYS = ['client_id', 'session_id', 'anonymous_id', 'user_id', 'campaign', 'source', 'affiliate_id'] as const;

export function createApplier(store: Store) {
  const { db } = store;
  const lastShapes = new Map<string, { columns: string[]; key: string }>();

  /**
   * The statement key of an upsert: its table and columns. Rows of a table mostly come with
   * the same columns, and comparing them costs a twentieth of joining them into a new key.
   */
  function shapeKey(table: string, columns: string[]): string {
    const last = lastShapes.get(table);
    if (last && last.columns.length === columns.length && last.columns.every((column, i) => column === columns[i])) return last.key;
    const key = `upsert ${table} ${columns.join(',')}`;
    lastShapes.set(table, { columns, key });
    return key;
  }

  /** Insert or merge one row by id; returns the row as stored. */
  function upsert<T extends OrderedTable & keyof Database>(table: T, incoming: Row & { id: string; event_created: number }): Row {
    const existing = store.firstShaped<Row>(`select ${table}`, () => sql<Row>`SELECT * FROM ${sql.table(table)} WHERE id = ${''}`, [incoming.id]);
    const row = existing ? merge(existing, incoming, supersedes(table, existing as never, incoming as never)) : incoming;
    const columns = Object.keys(row);
    const build = () =>
      sql`INSERT INTO ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))})
          VALUES (${sql.join(columns.map((c) => row[c]))})
          ON CONFLICT(id) DO UPDATE SET ${sql.join(columns.filter((c) => c !== 'id').map((c) => sql`${sql.ref(c)} = excluded.${sql.ref(c)}`))}`;
    store.runShaped(shapeKey(table, columns), build, columns.map((c) => row[c]));
    return row;
  }

  /** SET clauses that fill each missing attribution column from `from`, keeping values already there. */
  function missingAttribution(from: Partial<Record<(typeof ATTRIBUTION_KEYS)[number], unknown>>): Row {
    const set: Row = {};
    for (const key of ATTRIBUTION_KEYS) set[key] = sql`coalesce(${sql.ref(key)}, ${from[key] ?? null})`;
    return set;
  }

  /** Copies attribution to a payment intent that carries none of its own, from its checkout session or subscription. */
  function inheritAttribution(paymentIntentId: string | null) {
    if (!paymentIntentId) return;
    const pi = store.first(db.selectFrom('payment_intents').select(['id', 'session_id', 'invoice']).where('id', '=', paymentIntentId));
    if (!pi || pi.session_id) return;
    const invoice = store.first(
      db.selectFrom('invoices').select(['id', 'subscription']).where((eb) => eb.or([eb('payment_intent', '=', pi.id), ...(pi.invoice ? [eb('id', '=', pi.invoice)] : [])])),
    );
    const checkout = store.first(
      db
        .selectFrom('checkout_sessions')
        .selectAll()
        .where('session_id', 'is not', null)
        .where((eb) =>
          eb.or([
            eb('payment_intent', '=', pi.id),
            ...(invoice ? [eb('invoice', '=', invoice.id)] : []),
            ...(invoice?.subscription ? [eb('subscription', '=', invoice.subscription)] : []),
          ]),
        )
        .orderBy('created')
        .limit(1),
    );
    const subscription =
      !checkout && invoice?.subscription
        ? store.first(db.selectFrom('subscriptions').selectAll().where('id', '=', invoice.subscription).where('session_id', 'is not', null))
        : undefined;
    const from: MetadataColumns | undefined = checkout ?? subscription;
    if (!from) return;
    const set: Row = { ...missingAttribution(from), attribution_source: checkout ? 'checkout_session' : 'invoice' };
    if (checkout) set.checkout_session = sql`coalesce(checkout_session, ${checkout.id})`;
    store.run(db.updateTable('payment_intents').set(set as never).where('id', '=', pi.id));
  }

  function afterCharge(charge: Row) {
    const pi = str(charge.payment_intent);
    if (!pi) return;
    for (const table of ['refunds', 'disputes'] as const)
      store.run(db.updateTable(table).set({ payment_intent: pi }).where('charge', '=', charge.id as string).where('payment_intent', 'is', null));
    fillFromCharge(pi, charge);
  }

  /** Card and receipt facts the payment intent lacks, from its charge (whichever event came first). */
  function fillFromCharge(pi: string, charge: Row) {
    store.run(sql`UPDATE payment_intents SET
        latest_charge = coalesce(latest_charge, ${charge.id}),
        invoice = coalesce(invoice, ${charge.invoice}),
        payment_method_type = coalesce(payment_method_type, ${charge.payment_method_type}),
        card_brand = coalesce(card_brand, ${charge.card_brand}),
        card_country = coalesce(card_country, ${charge.card_country}),
        receipt_email = coalesce(receipt_email, ${charge.receipt_email ?? charge.billing_email})
      WHERE id = ${pi}`);
  }

  /** Refunds and disputes carry no attribution: they reach their payment through the charge. */
  function linkToPayment(table: 'refunds' | 'disputes', row: Row) {
    if (row.payment_intent || !row.charge) return;
    const charge = store.first(db.selectFrom('charges').select('payment_intent').where('id', '=', row.charge as string));
    if (charge?.payment_intent) store.run(db.updateTable(table).set({ payment_intent: charge.payment_intent }).where('id', '=', row.id as string));
  }

  /** Fills a subscription's missing attribution from the checkout session that started it. */
  function subscriptionFromCheckout(checkout: Row) {
    store.run(db.updateTable('subscriptions').set(missingAttribution(checkout) as never).where('id', '=', checkout.subscription as string));
  }

  function afterCheckout(checkout: Row) {
    const pi = str(checkout.payment_intent);
    if (pi) store.run(db.updateTable('payment_intents').set({ checkout_session: sql`coalesce(checkout_session, ${checkout.id})` as never }).where('id', '=', pi));
    if (checkout.subscription) subscriptionFromCheckout(checkout);
    const related = store.all(
      db
        .selectFrom('invoices')
        .select('payment_intent')
        .where('payment_intent', 'is not', null)
        .where((eb) => eb.or([eb('id', '=', (checkout.invoice as string) ?? ''), eb('subscription', '=', (checkout.subscription as string) ?? '')])),
    );
    for (const id of [pi, ...related.map((r) => r.payment_intent)]) inheritAttribution(id);
  }

  function afterInvoice(invoice: Row) {
    const pi = str(invoice.payment_intent);
    if (!pi) return;
    store.run(db.updateTable('payment_intents').set({ invoice: sql`coalesce(invoice, ${invoice.id})` as never }).where('id', '=', pi));
    inheritAttribution(pi);
  }

  /** History keeps what this event said (`said`), even when a later state already won. */
  function recordSubscriptionHistory(event: StripeEvent, said: SubscriptionTable) {
    store.run(
      db
        .insertInto('subscription_history')
        .values({ event_id: event.id, subscription_id: said.id, customer: said.customer, at: event.created, status: said.status, currency: said.currency, mrr: said.mrr })
        .onConflict((oc) => oc.column('event_id').doNothing()),
    );
  }

  const contextOf = (event: StripeEvent): EventContext => ({
    eventId: event.id,
    eventType: event.type,
    eventCreated: event.created,
    livemode: event.livemode,
  });

  /** Applies the event; returns whether it feeds reports. */
  function apply(event: StripeEvent): boolean {
    if (!HANDLED_EVENT_TYPES.has(event.type)) return false;
    const object = event.data.object;
    const ctx = contextOf(event);
    const family = event.type.startsWith('charge.dispute.') ? 'dispute' : event.type.split('.').slice(0, -1).join('.');
    switch (family) {
      case 'payment_intent': {
        const row = upsert('payment_intents', paymentIntentRow(object, ctx) as never);
        const id = row.id as string;
        if (!row.invoice) {
          // Newer API versions link only invoice → payment intent; remember the way back.
          const invoice = store.firstShaped<{ id: string }>('invoice of pi', () => db.selectFrom('invoices').select('id').where('payment_intent', '=', id), [id]);
          if (invoice) store.run(db.updateTable('payment_intents').set({ invoice: invoice.id }).where('id', '=', id));
        }
        if (!row.session_id) inheritAttribution(id);
        if (!row.latest_charge || !row.card_brand) {
          // max() and no LIMIT: a sort or a bound LIMIT costs many times the index lookup itself.
          const charge = store.firstShaped<Row>(
            'latest charge of pi',
            () =>
              db
                .selectFrom('charges')
                .selectAll()
                .where('payment_intent', '=', id)
                .where('created', '=', (eb) => eb.selectFrom('charges').select((e) => e.fn.max('created').as('latest')).where('payment_intent', '=', id)),
            [id, id],
          );
          if (charge) fillFromCharge(id, charge);
        }
        break;
      }
      case 'charge': {
        const row = upsert('charges', chargeRow(object, ctx) as never);
        for (const refund of listData(object.refunds)) linkToPayment('refunds', upsert('refunds', refundRow(refund, ctx) as never));
        afterCharge(row);
        break;
      }
      case 'refund':
        linkToPayment('refunds', upsert('refunds', refundRow(object, ctx) as never));
        break;
      case 'dispute':
        linkToPayment('disputes', upsert('disputes', disputeRow(object, ctx) as never));
        break;
      case 'checkout.session':
        afterCheckout(upsert('checkout_sessions', checkoutSessionRow(object, ctx) as never));
        break;
      case 'customer.subscription': {
        const said = subscriptionRow(object, ctx);
        const row = upsert('subscriptions', said as never);
        // The checkout that started the subscription may have arrived first.
        if (!row.session_id) {
          const checkout = store.first(
            db.selectFrom('checkout_sessions').selectAll().where('subscription', '=', row.id as string).where('session_id', 'is not', null).orderBy('created').limit(1),
          );
          if (checkout) subscriptionFromCheckout(checkout as unknown as Row);
        }
        recordSubscriptionHistory(event, said);
        const customer = obj(object.customer);
        if (customer) upsert('customers', customerRow(customer, ctx) as never);
        break;
      }
      case 'invoice': {
        afterInvoice(upsert('invoices', invoiceRow(object, ctx) as never));
        break;
      }
      default:
        return false;
    }
    return true;
  }

  return { apply };
}

export type Applier = ReturnType<typeof createApplier>;

/** Warnings for a payment event whose metadata cannot be tied to an analytics client. */
export function attributionWarnings(event: StripeEvent, acceptedClientIds: string[] | null): string[] {
  if (!ATTRIBUTED_EVENT_TYPES.has(event.type)) return [];
  const metadata = obj(event.data.object.metadata) ?? {};
  const clientId = str(metadata.client_id)?.trim();
  if (!clientId) return ['Missing client_id in payment_intent_data.metadata'];
  if (acceptedClientIds && !acceptedClientIds.includes(clientId))
    return [`client_id "${clientId}" is not one of this endpoint's accepted client ids (${acceptedClientIds.join(', ')})`];
  return [];
}
