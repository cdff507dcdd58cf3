// Precomputed report data: the payment list, a 15-minute revenue rollup and per-payment
// attribution touchpoints. Triggers bump a version whenever their sources change, so
// reports rebuild what they read lazily, only when something changed since the last build.
import { type Kysely, sql } from 'kysely';

/** Source tables and the version each one bumps. */
const SOURCES: Array<[table: string, source: 'stripe' | 'sessions']> = [
  ['payment_intents', 'stripe'],
  ['invoices', 'stripe'],
  ['refunds', 'stripe'],
  ['disputes', 'stripe'],
  ['charges', 'stripe'],
  ['checkout_sessions', 'stripe'],
  ['subscriptions', 'stripe'],
  ['customers', 'stripe'],
  ['analytics_sessions', 'sessions'],
];

const DIMENSION_COLUMNS = `utm_source TEXT, utm_medium TEXT, utm_campaign TEXT, utm_term TEXT, utm_content TEXT,
  referrer_domain TEXT, landing_path TEXT, country TEXT, region TEXT, city TEXT, device_type TEXT,
  browser_name TEXT, os_name TEXT, campaign TEXT, source TEXT, affiliate_id TEXT`;

const statements = [
  `CREATE TABLE report_state (source TEXT PRIMARY KEY, version INTEGER NOT NULL)`,
  `INSERT INTO report_state (source, version) VALUES ('stripe', 0), ('sessions', 0)`,
  `CREATE TABLE report_cache (key TEXT PRIMARY KEY, stripe_version INTEGER NOT NULL, sessions_version INTEGER NOT NULL, built_at INTEGER NOT NULL)`,
  ...SOURCES.flatMap(([table, source]) =>
    ['INSERT', 'UPDATE', 'DELETE'].map(
      (op) => `CREATE TRIGGER report_touch_${table}_${op.toLowerCase()} AFTER ${op} ON ${table}
        BEGIN UPDATE report_state SET version = version + 1 WHERE source = '${source}'; END`,
    ),
  ),
  // Succeeded payments (payment intents + invoices paid without one), with what reports join on.
  `CREATE TABLE report_payments (
    id TEXT PRIMARY KEY, kind TEXT NOT NULL, amount INTEGER NOT NULL, currency TEXT NOT NULL,
    paid_at INTEGER NOT NULL, customer_key TEXT, customer_kind TEXT, session_id TEXT, anonymous_id TEXT,
    visitor_id TEXT, session_known INTEGER NOT NULL, campaign TEXT, source TEXT, affiliate_id TEXT,
    refunded INTEGER NOT NULL, disputed INTEGER NOT NULL)`,
  `CREATE INDEX report_payments_paid ON report_payments(paid_at)`,
  `CREATE INDEX report_payments_session ON report_payments(session_id)`,
  // Sums per currency and 15-minute UTC bucket: every time zone's day starts on such a boundary.
  `CREATE TABLE report_revenue_rollup (
    currency TEXT NOT NULL, bucket INTEGER NOT NULL, gross INTEGER NOT NULL, payments INTEGER NOT NULL,
    refunded INTEGER NOT NULL, refunds INTEGER NOT NULL, disputed INTEGER NOT NULL, disputes INTEGER NOT NULL,
    PRIMARY KEY (bucket, currency)) WITHOUT ROWID`,
  // One row per payment and touchpoint for one model and lookback (model_key), weights and
  // money already split into whole units, dimension values copied from the session.
  `CREATE TABLE report_touches (
    model_key TEXT NOT NULL, payment_id TEXT NOT NULL, session_id TEXT, paid_at INTEGER NOT NULL,
    currency TEXT NOT NULL, weight_micro INTEGER NOT NULL, gross INTEGER NOT NULL, net INTEGER NOT NULL,
    reason TEXT, ${DIMENSION_COLUMNS})`,
  `CREATE INDEX report_touches_key ON report_touches(model_key, paid_at)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Paylens migrations only move forward');
}
