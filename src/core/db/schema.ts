// Row types of every table, as Kysely sees them. Times: *_at in epoch milliseconds
// (local records), Stripe `created`-style fields in epoch seconds as Stripe sends them.
import type { Generated } from 'kysely';

/** Columns lifted out of Stripe metadata on payment-like objects; all keys stay in `metadata` as JSON. */
export interface MetadataColumns {
  client_id: string | null;
  session_id: string | null;
  anonymous_id: string | null;
  user_id: string | null;
  campaign: string | null;
  source: string | null;
  affiliate_id: string | null;
  metadata: string; // JSON object
}

/** Every Stripe-state row remembers which event last set it, so late events never win. */
export interface EventOrdering {
  event_created: number; // seconds, `created` of the event that last set this row
  livemode: number;
}

export interface WebhookEndpointTable {
  id: string;
  name: string;
  token: string;
  secret_enc: string;
  secret_last4: string;
  previous_secret_enc: string | null;
  previous_secret_expires_at: number | null;
  mode: 'test' | 'live';
  debug: number;
  client_ids: string | null; // JSON array, null = accept any
  created_at: number;
  updated_at: number;
}

export interface DeliveryTable {
  id: Generated<number>;
  received_at: number;
  endpoint_id: string | null;
  endpoint_name: string | null;
  remote_address: string | null;
  method: string;
  path: string;
  headers: string; // JSON object, signature shortened
  body: string | null;
  body_size: number;
  body_truncated: number;
  /** Raw Stripe-Signature header, kept only while the body is kept so a replay can verify it again. */
  signature: string | null;
  verification: 'verified' | 'failed' | 'not_checked';
  event_id: string | null;
  event_type: string | null;
  outcome: 'stored' | 'duplicate' | 'warning' | 'rejected' | 'error';
  result: string;
  warnings: string; // JSON array of strings
  status: number;
  duration_ms: number;
  replay_of: number | null;
}

export interface EventTable {
  id: string;
  type: string;
  api_version: string | null;
  created: number;
  livemode: number;
  endpoint_id: string | null;
  object_type: string | null;
  object_id: string | null;
  /** 1 when the event type feeds reports, 0 when stored only ("not used for reports"). */
  handled: number;
  payload: string;
  received_at: number;
}

export interface PaymentIntentTable extends MetadataColumns, EventOrdering {
  id: string;
  amount: number;
  amount_received: number;
  currency: string;
  status: string;
  created: number;
  succeeded_at: number | null; // seconds
  canceled_at: number | null;
  cancellation_reason: string | null;
  customer: string | null;
  receipt_email: string | null;
  description: string | null;
  latest_charge: string | null;
  invoice: string | null;
  checkout_session: string | null;
  payment_method_type: string | null;
  card_brand: string | null;
  card_country: string | null;
  failure_code: string | null;
  failure_message: string | null;
  decline_code: string | null;
  /** Filled from a checkout session when the payment intent's own metadata has no session id. */
  attribution_source: 'payment_intent' | 'checkout_session' | 'invoice' | null;
}

export interface ChargeTable extends MetadataColumns, EventOrdering {
  id: string;
  payment_intent: string | null;
  invoice: string | null;
  amount: number;
  amount_captured: number;
  amount_refunded: number;
  currency: string;
  status: string;
  paid: number;
  captured: number;
  refunded: number;
  disputed: number;
  created: number;
  customer: string | null;
  billing_email: string | null;
  receipt_email: string | null;
  payment_method_type: string | null;
  card_brand: string | null;
  card_country: string | null;
  failure_code: string | null;
  failure_message: string | null;
  outcome_type: string | null;
  outcome_reason: string | null;
  network_status: string | null;
  seller_message: string | null;
  risk_level: string | null;
}

export interface RefundTable extends EventOrdering {
  id: string;
  charge: string | null;
  payment_intent: string | null;
  amount: number;
  currency: string;
  status: string;
  reason: string | null;
  failure_reason: string | null;
  created: number;
  metadata: string;
}

export interface DisputeTable extends EventOrdering {
  id: string;
  charge: string | null;
  payment_intent: string | null;
  amount: number;
  currency: string;
  status: string;
  reason: string | null;
  created: number;
  closed_at: number | null; // seconds, event time of dispute.closed
}

export interface CheckoutSessionTable extends MetadataColumns, EventOrdering {
  id: string;
  payment_intent: string | null;
  subscription: string | null;
  invoice: string | null;
  customer: string | null;
  customer_email: string | null;
  client_reference_id: string | null;
  mode: string | null;
  status: string | null;
  payment_status: string | null;
  amount_total: number | null;
  currency: string | null;
  created: number;
}

export interface CustomerTable extends EventOrdering {
  id: string;
  email: string | null;
  name: string | null;
  created: number | null;
  deleted: number;
  metadata: string;
}

export interface SubscriptionTable extends MetadataColumns, EventOrdering {
  id: string;
  customer: string | null;
  status: string;
  currency: string;
  created: number;
  start_date: number | null;
  canceled_at: number | null;
  ended_at: number | null;
  cancel_at_period_end: number;
  current_period_start: number | null;
  current_period_end: number | null;
  /** JSON array of {id, price, product, unit_amount, currency, interval, interval_count, quantity}. */
  items: string;
  /** JSON of the discounts in force (coupon percent_off / amount_off), [] when none. */
  discounts: string;
  /** Monthly recurring revenue in minor units: items normalised to a month, quantities and discounts applied. */
  mrr: number;
  latest_invoice: string | null;
}

/** One row for every subscription state an event carried: the history behind MRR movements. */
export interface SubscriptionHistoryTable {
  event_id: string;
  subscription_id: string;
  customer: string | null;
  at: number; // seconds, event created
  status: string;
  currency: string;
  mrr: number;
}

export interface InvoiceTable extends EventOrdering {
  id: string;
  customer: string | null;
  customer_email: string | null;
  subscription: string | null;
  payment_intent: string | null;
  charge: string | null;
  status: string | null;
  billing_reason: string | null;
  amount_due: number;
  amount_paid: number;
  amount_remaining: number;
  subtotal: number | null;
  total: number | null;
  currency: string;
  created: number;
  paid_at: number | null; // seconds
  hosted_invoice_url: string | null;
  lines: string; // JSON array summary
  metadata: string;
}

export interface SettingTable {
  key: string;
  value: string; // JSON
}

/** One analytics session built from imported export rows (see DESIGN.md, "Analytics sessions"). */
export interface AnalyticsSessionTable {
  session_id: string;
  anonymous_id: string | null;
  client_id: string | null;
  started_at: number; // ms, first event
  ended_at: number; // ms, last event
  landing_path: string | null;
  exit_path: string | null;
  pageviews: number;
  events: number;
  referrer: string | null;
  referrer_domain: string | null;
  utm_source: string | null;
  utm_medium: string | null;
  utm_campaign: string | null;
  utm_term: string | null;
  utm_content: string | null;
  country: string | null;
  region: string | null;
  city: string | null;
  device_type: string | null;
  browser_name: string | null;
  os_name: string | null;
  first_import_id: number | null;
  /** ms of the pageviews that gave landing_path / exit_path (merging overlapping exports needs them). */
  landing_at: number | null;
  exit_at: number | null;
  last_import_id: number | null;
  /** ended_at - started_at, computed by SQLite. */
  duration_ms: Generated<number>;
}

export interface VisitorTable {
  anonymous_id: string;
  first_seen_at: number; // ms
  last_seen_at: number; // ms
  sessions: number;
}

export interface PageviewTable {
  id: Generated<number>;
  session_id: string;
  time: number; // ms
  event_name: string; // 'pageview' or the tracked event's name
  path: string | null;
  title: string | null;
  /** Stable key of the source row (its export id, else a hash of session, time, name and path) for idempotent re-import. */
  row_key: string;
}

/** One run of `paylens import` / imports.start. */
export interface ImportTable {
  id: Generated<number>;
  file_name: string;
  file_path: string;
  format: string;
  size: number;
  rows_read: number;
  /** Rows stored for the first time. */
  imported: number;
  /** Valid rows already stored by an earlier import. */
  duplicates: number;
  rejected: number;
  /** Sessions created or changed, and their distinct visitors. */
  sessions: number;
  visitors: number;
  started_at: number; // ms
  finished_at: number | null;
  status: 'running' | 'completed' | 'cancelled' | 'failed';
  error: string | null;
  /** The process running the import (null for imports recorded before this was kept). */
  pid: number | null;
}

/** The first rejected rows of an import, in detail. */
export interface ImportRejectionTable {
  id: Generated<number>;
  import_id: number;
  line: number;
  /** 'line' in text files, 'item' for the n-th element of a JSON array. */
  unit: 'line' | 'item';
  reason: string;
  raw: string;
}

export interface Database {
  webhook_endpoints: WebhookEndpointTable;
  deliveries: DeliveryTable;
  events: EventTable;
  payment_intents: PaymentIntentTable;
  charges: ChargeTable;
  refunds: RefundTable;
  disputes: DisputeTable;
  checkout_sessions: CheckoutSessionTable;
  customers: CustomerTable;
  subscriptions: SubscriptionTable;
  subscription_history: SubscriptionHistoryTable;
  invoices: InvoiceTable;
  settings: SettingTable;
  analytics_sessions: AnalyticsSessionTable;
  visitors: VisitorTable;
  pageviews: PageviewTable;
  imports: ImportTable;
  import_rejections: ImportRejectionTable;
}
