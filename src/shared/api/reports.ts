// Reports: revenue, payment health, attribution, conversion, customers, subscriptions and
// one payment's journey. Rows use the same snake_case names as the CSV columns; money is
// integer minor units with the row's currency, never summed across currencies.
import { z } from 'zod';
import { defineMethods } from './define';

export const REPORT_NAMES = ['revenue', 'payments', 'attribution', 'conversion', 'customers', 'subscriptions', 'journey'] as const;
export type ReportName = (typeof REPORT_NAMES)[number];

export const SESSION_DIMENSIONS = [
  'utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content', 'referrer_domain', 'landing_path',
  'country', 'region', 'city', 'device_type', 'browser_name', 'os_name',
] as const;
/** Values the payment itself carries in its metadata. */
export const PAYMENT_DIMENSIONS = ['campaign', 'source', 'affiliate_id'] as const;
export const dimension = z.enum([...SESSION_DIMENSIONS, ...PAYMENT_DIMENSIONS]);
export type Dimension = z.infer<typeof dimension>;

export const attributionModel = z.enum(['last_touch', 'first_touch', 'linear', 'position_based', 'time_decay']);
export type AttributionModel = z.infer<typeof attributionModel>;
export const interval = z.enum(['day', 'week', 'month']);
export type Interval = z.infer<typeof interval>;

/** Shown for a dimension value that is empty, and for payments without a session. */
export const NONE = '(none)';
export const UNATTRIBUTED = '(unattributed)';

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-03-31');
/** Inclusive dates in `tz` (default: the machine's zone); default range: the last 30 days. */
const range = {
  from: date.optional(),
  to: date.optional(),
  tz: z.string().min(1).optional(),
  currency: z
    .string()
    .regex(/^[a-zA-Z]{3}$/, 'must be a three-letter currency code')
    .transform((c) => c.toLowerCase())
    .optional(),
};
const lookbackDays = z.number().int().min(1).max(365).default(30);

const resolvedRange = z.object({ from: z.string(), to: z.string(), tz: z.string() });
const money = z.number().int();
const nullableMoney = z.number().int().nullable();
const rate = z.number().nullable();

export const revenueRow = z.object({
  period: z.string(),
  /** Epoch ms of the period's first instant inside the range. */
  period_start: z.number(),
  currency: z.string(),
  gross: money,
  refunded: money,
  disputed: money,
  net: money,
  payments: z.number().int(),
  refunds: z.number().int(),
  average_order_value: nullableMoney,
});
export type RevenueRow = z.infer<typeof revenueRow>;
const revenueTotal = revenueRow.omit({ period: true, period_start: true });

export const healthRow = z.object({
  section: z.enum(['status', 'failure_code', 'decline_code', 'payment_method_type', 'card_brand', 'card_country']),
  value: z.string(),
  currency: z.string(),
  attempts: z.number().int(),
  succeeded: z.number().int(),
  failed: z.number().int(),
  canceled: z.number().int(),
  requires_action: z.number().int(),
  other: z.number().int(),
  success_rate: rate,
  succeeded_amount: money,
});
export type HealthRow = z.infer<typeof healthRow>;

export const attributionRow = z.object({
  value: z.string(),
  currency: z.string(),
  /** Weighted count: each payment's weights sum to exactly 1. */
  payments: z.number(),
  gross: money,
  net: money,
  share: rate,
});
export type AttributionRow = z.infer<typeof attributionRow>;
export const unattributedRow = z.object({ reason: z.string(), currency: z.string(), payments: z.number().int(), gross: money, net: money });

export const conversionRow = z.object({
  value: z.string(),
  currency: z.string(),
  sessions: z.number().int(),
  visitors: z.number().int(),
  converting_sessions: z.number().int(),
  converting_visitors: z.number().int(),
  conversion_rate: rate,
  revenue: money,
  revenue_per_visitor: nullableMoney,
});
export type ConversionRow = z.infer<typeof conversionRow>;

export const customerRow = z.object({
  customer: z.string(),
  customer_kind: z.enum(['customer', 'email', 'visitor', 'unknown']),
  currency: z.string(),
  first_purchase: z.string(),
  last_purchase: z.string(),
  orders: z.number().int(),
  gross: money,
  net: money,
  acquisition_source: z.string(),
});
export const customerSummaryRow = z.object({
  currency: z.string(),
  customers: z.number().int(),
  orders: z.number().int(),
  repeat_customers: z.number().int(),
  repeat_purchase_rate: rate,
  purchase_frequency: rate,
  average_days_between_purchases: rate,
  net: money,
  average_lifetime_value: nullableMoney,
});
export const ltvRow = z.object({ acquisition_source: z.string(), currency: z.string(), customers: z.number().int(), net: money, average_lifetime_value: nullableMoney });
export const cohortRow = z.object({ cohort: z.string(), currency: z.string(), months_since: z.number().int(), customers: z.number().int(), orders: z.number().int(), net: money });

export const mrrMovementRow = z.object({
  period: z.string(),
  period_start: z.number(),
  currency: z.string(),
  new: money,
  expansion: money,
  contraction: money,
  churn: money,
  reactivation: money,
  net_new: money,
  mrr_end: money,
});
export const subscriptionSummaryRow = z.object({
  currency: z.string(),
  active_subscriptions: z.number().int(),
  active_customers: z.number().int(),
  mrr: money,
  arpa: nullableMoney,
  customers_at_start: z.number().int(),
  churned_customers: z.number().int(),
  customer_churn_rate: rate,
});

export const journeyRow = z.object({
  time: z.string(),
  /** Epoch ms. */
  at: z.number(),
  kind: z.enum(['session', 'payment', 'refund', 'dispute']),
  id: z.string(),
  source: z.string(),
  landing_path: z.string(),
  pages: z.string(),
  pageviews: z.number().int(),
  touchpoint: z.boolean(),
  status: z.string(),
  amount: z.number().int().nullable(),
  currency: z.string(),
});

export const reportMethods = defineMethods({
  'reports.revenue': {
    input: z.object({ ...range, interval: interval.default('day') }),
    output: z.object({ range: resolvedRange, interval, rows: z.array(revenueRow), totals: z.array(revenueTotal) }),
  },
  'reports.payments': {
    input: z.object(range),
    output: z.object({ range: resolvedRange, rows: z.array(healthRow) }),
  },
  'reports.attribution': {
    input: z.object({ ...range, by: dimension.default('utm_source'), model: attributionModel.default('last_touch'), lookbackDays }),
    output: z.object({
      range: resolvedRange,
      by: dimension,
      model: attributionModel,
      lookbackDays: z.number(),
      rows: z.array(attributionRow),
      unattributed: z.array(unattributedRow),
    }),
  },
  'reports.conversion': {
    input: z.object({ ...range, by: z.enum(SESSION_DIMENSIONS).default('utm_source') }),
    output: z.object({ range: resolvedRange, by: z.string(), rows: z.array(conversionRow) }),
  },
  'reports.customers': {
    input: z.object({ ...range, by: dimension.default('utm_source'), lookbackDays }),
    output: z.object({
      range: resolvedRange,
      rows: z.array(customerRow),
      summary: z.array(customerSummaryRow),
      ltv: z.array(ltvRow),
      cohorts: z.array(cohortRow),
    }),
  },
  'reports.subscriptions': {
    input: z.object({ ...range, interval: interval.default('month') }),
    output: z.object({ range: resolvedRange, interval, rows: z.array(mrrMovementRow), summary: z.array(subscriptionSummaryRow) }),
  },
  'reports.journey': {
    input: z.object({ payment: z.string().min(1), tz: z.string().min(1).optional(), lookbackDays }),
    output: z.object({ payment: z.string(), visitor: z.string().nullable(), unattributedReason: z.string().nullable(), rows: z.array(journeyRow) }),
  },
});
