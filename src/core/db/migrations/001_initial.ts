import { type Kysely, sql } from 'kysely';

const METADATA_COLUMNS = `
  client_id TEXT, session_id TEXT, anonymous_id TEXT, user_id TEXT,
  campaign TEXT, source TEXT, affiliate_id TEXT, metadata TEXT NOT NULL DEFAULT '{}'`;
const ORDERING_COLUMNS = `event_created INTEGER NOT NULL, livemode INTEGER NOT NULL DEFAULT 0`;

const statements = [
  `CREATE TABLE webhook_endpoints (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, token TEXT NOT NULL UNIQUE,
    secret_enc TEXT NOT NULL, secret_last4 TEXT NOT NULL,
    previous_secret_enc TEXT, previous_secret_expires_at INTEGER,
    mode TEXT NOT NULL CHECK (mode IN ('test','live')), debug INTEGER NOT NULL DEFAULT 0,
    client_ids TEXT, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL)`,
  `CREATE TABLE deliveries (
    id INTEGER PRIMARY KEY AUTOINCREMENT, received_at INTEGER NOT NULL,
    endpoint_id TEXT REFERENCES webhook_endpoints(id) ON DELETE SET NULL, endpoint_name TEXT,
    remote_address TEXT, method TEXT NOT NULL, path TEXT NOT NULL, headers TEXT NOT NULL,
    body TEXT, body_size INTEGER NOT NULL, body_truncated INTEGER NOT NULL DEFAULT 0, signature TEXT,
    verification TEXT NOT NULL, event_id TEXT, event_type TEXT,
    outcome TEXT NOT NULL, result TEXT NOT NULL, warnings TEXT NOT NULL DEFAULT '[]',
    status INTEGER NOT NULL, duration_ms REAL NOT NULL, replay_of INTEGER)`,
  `CREATE INDEX deliveries_received ON deliveries(received_at)`,
  `CREATE INDEX deliveries_event ON deliveries(event_id)`,
  `CREATE TABLE events (
    id TEXT PRIMARY KEY, type TEXT NOT NULL, api_version TEXT, created INTEGER NOT NULL,
    livemode INTEGER NOT NULL, endpoint_id TEXT, object_type TEXT, object_id TEXT,
    handled INTEGER NOT NULL, payload TEXT NOT NULL, received_at INTEGER NOT NULL)`,
  `CREATE INDEX events_object ON events(object_id)`,
  `CREATE INDEX events_type_created ON events(type, created)`,
  `CREATE TABLE payment_intents (
    id TEXT PRIMARY KEY, amount INTEGER NOT NULL, amount_received INTEGER NOT NULL DEFAULT 0,
    currency TEXT NOT NULL, status TEXT NOT NULL, created INTEGER NOT NULL, succeeded_at INTEGER,
    canceled_at INTEGER, cancellation_reason TEXT, customer TEXT, receipt_email TEXT, description TEXT,
    latest_charge TEXT, invoice TEXT, checkout_session TEXT, payment_method_type TEXT,
    card_brand TEXT, card_country TEXT, failure_code TEXT, failure_message TEXT, decline_code TEXT,
    attribution_source TEXT, ${METADATA_COLUMNS}, ${ORDERING_COLUMNS})`,
  `CREATE INDEX payment_intents_succeeded ON payment_intents(succeeded_at)`,
  `CREATE INDEX payment_intents_session ON payment_intents(session_id)`,
  `CREATE INDEX payment_intents_invoice ON payment_intents(invoice)`,
  `CREATE TABLE charges (
    id TEXT PRIMARY KEY, payment_intent TEXT, invoice TEXT, amount INTEGER NOT NULL,
    amount_captured INTEGER NOT NULL DEFAULT 0, amount_refunded INTEGER NOT NULL DEFAULT 0,
    currency TEXT NOT NULL, status TEXT NOT NULL, paid INTEGER NOT NULL DEFAULT 0,
    captured INTEGER NOT NULL DEFAULT 0, refunded INTEGER NOT NULL DEFAULT 0, disputed INTEGER NOT NULL DEFAULT 0,
    created INTEGER NOT NULL, customer TEXT, billing_email TEXT, receipt_email TEXT,
    payment_method_type TEXT, card_brand TEXT, card_country TEXT, failure_code TEXT, failure_message TEXT,
    outcome_type TEXT, outcome_reason TEXT, network_status TEXT, seller_message TEXT, risk_level TEXT,
    ${METADATA_COLUMNS}, ${ORDERING_COLUMNS})`,
  `CREATE INDEX charges_payment_intent ON charges(payment_intent)`,
  `CREATE TABLE refunds (
    id TEXT PRIMARY KEY, charge TEXT, payment_intent TEXT, amount INTEGER NOT NULL, currency TEXT NOT NULL,
    status TEXT NOT NULL, reason TEXT, failure_reason TEXT, created INTEGER NOT NULL,
    metadata TEXT NOT NULL DEFAULT '{}', ${ORDERING_COLUMNS})`,
  `CREATE INDEX refunds_payment_intent ON refunds(payment_intent)`,
  `CREATE INDEX refunds_charge ON refunds(charge)`,
  `CREATE TABLE disputes (
    id TEXT PRIMARY KEY, charge TEXT, payment_intent TEXT, amount INTEGER NOT NULL, currency TEXT NOT NULL,
    status TEXT NOT NULL, reason TEXT, created INTEGER NOT NULL, closed_at INTEGER, ${ORDERING_COLUMNS})`,
  `CREATE INDEX disputes_payment_intent ON disputes(payment_intent)`,
  `CREATE INDEX disputes_charge ON disputes(charge)`,
  `CREATE TABLE checkout_sessions (
    id TEXT PRIMARY KEY, payment_intent TEXT, subscription TEXT, invoice TEXT, customer TEXT,
    customer_email TEXT, client_reference_id TEXT, mode TEXT, status TEXT, payment_status TEXT,
    amount_total INTEGER, currency TEXT, created INTEGER NOT NULL, ${METADATA_COLUMNS}, ${ORDERING_COLUMNS})`,
  `CREATE INDEX checkout_sessions_payment_intent ON checkout_sessions(payment_intent)`,
  `CREATE INDEX checkout_sessions_subscription ON checkout_sessions(subscription)`,
  `CREATE TABLE customers (
    id TEXT PRIMARY KEY, email TEXT, name TEXT, created INTEGER, deleted INTEGER NOT NULL DEFAULT 0,
    metadata TEXT NOT NULL DEFAULT '{}', ${ORDERING_COLUMNS})`,
  `CREATE TABLE subscriptions (
    id TEXT PRIMARY KEY, customer TEXT, status TEXT NOT NULL, currency TEXT NOT NULL, created INTEGER NOT NULL,
    start_date INTEGER, canceled_at INTEGER, ended_at INTEGER, cancel_at_period_end INTEGER NOT NULL DEFAULT 0,
    current_period_start INTEGER, current_period_end INTEGER, items TEXT NOT NULL DEFAULT '[]',
    discounts TEXT NOT NULL DEFAULT '[]', mrr INTEGER NOT NULL DEFAULT 0, latest_invoice TEXT,
    ${METADATA_COLUMNS}, ${ORDERING_COLUMNS})`,
  `CREATE TABLE subscription_history (
    event_id TEXT PRIMARY KEY, subscription_id TEXT NOT NULL, customer TEXT, at INTEGER NOT NULL,
    status TEXT NOT NULL, currency TEXT NOT NULL, mrr INTEGER NOT NULL)`,
  `CREATE INDEX subscription_history_sub ON subscription_history(subscription_id, at)`,
  `CREATE TABLE invoices (
    id TEXT PRIMARY KEY, customer TEXT, customer_email TEXT, subscription TEXT, payment_intent TEXT, charge TEXT,
    status TEXT, billing_reason TEXT, amount_due INTEGER NOT NULL DEFAULT 0, amount_paid INTEGER NOT NULL DEFAULT 0,
    amount_remaining INTEGER NOT NULL DEFAULT 0, subtotal INTEGER, total INTEGER, currency TEXT NOT NULL,
    created INTEGER NOT NULL, paid_at INTEGER, hosted_invoice_url TEXT, lines TEXT NOT NULL DEFAULT '[]',
    metadata TEXT NOT NULL DEFAULT '{}', ${ORDERING_COLUMNS})`,
  `CREATE INDEX invoices_payment_intent ON invoices(payment_intent)`,
  `CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)`,
  `CREATE TABLE analytics_sessions (
    session_id TEXT PRIMARY KEY, anonymous_id TEXT, client_id TEXT,
    started_at INTEGER NOT NULL, ended_at INTEGER NOT NULL, landing_path TEXT, exit_path TEXT,
    pageviews INTEGER NOT NULL DEFAULT 0, events INTEGER NOT NULL DEFAULT 0,
    referrer TEXT, referrer_domain TEXT, utm_source TEXT, utm_medium TEXT, utm_campaign TEXT,
    utm_term TEXT, utm_content TEXT, country TEXT, region TEXT, city TEXT, device_type TEXT,
    browser_name TEXT, os_name TEXT, first_import_id INTEGER)`,
  `CREATE INDEX analytics_sessions_visitor ON analytics_sessions(anonymous_id, started_at)`,
  `CREATE INDEX analytics_sessions_started ON analytics_sessions(started_at)`,
  `CREATE TABLE visitors (
    anonymous_id TEXT PRIMARY KEY, first_seen_at INTEGER NOT NULL, last_seen_at INTEGER NOT NULL,
    sessions INTEGER NOT NULL DEFAULT 0)`,
  `CREATE TABLE pageviews (
    id INTEGER PRIMARY KEY, session_id TEXT NOT NULL, time INTEGER NOT NULL, event_name TEXT NOT NULL,
    path TEXT, title TEXT, row_key TEXT NOT NULL UNIQUE)`,
  `CREATE INDEX pageviews_session ON pageviews(session_id, time)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Paylens migrations only move forward');
}
