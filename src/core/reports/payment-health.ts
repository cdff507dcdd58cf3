// Payment health: what became of the payment intents created in the range, by status,
// failure and decline codes, payment method type, card brand and card country.
import { sql } from 'kysely';
import type { ApiOutput, ApiParsedInput } from '../../shared/api/index';
import { type HealthRow, NONE } from '../../shared/api/reports';
import type { Store } from '../db/store';
import { resolveRange } from './periods';

const SECTIONS = ['failure_code', 'decline_code', 'payment_method_type', 'card_brand', 'card_country'] as const;

export function paymentHealthReport(store: Store, input: ApiParsedInput<'reports.payments'>, nowMs: number): ApiOutput<'reports.payments'> {
  const range = resolveRange(input, nowMs);
  const currency = input.currency ?? null;
  const attempts = sql`
    SELECT currency, status, amount_received, failure_code, decline_code, payment_method_type, card_brand, card_country,
      CASE WHEN status = 'succeeded' THEN 'succeeded' WHEN status = 'canceled' THEN 'canceled'
           WHEN status = 'requires_action' THEN 'requires_action'
           WHEN status = 'requires_payment_method' AND (failure_code IS NOT NULL OR failure_message IS NOT NULL OR decline_code IS NOT NULL) THEN 'failed'
           ELSE 'other' END AS outcome
    FROM payment_intents WHERE created >= ${range.start} AND created < ${range.end} AND (${currency} IS NULL OR currency = ${currency})`;
  const counts = sql`count(*) AS attempts,
    sum(outcome = 'succeeded') AS succeeded, sum(outcome = 'failed') AS failed, sum(outcome = 'canceled') AS canceled,
    sum(outcome = 'requires_action') AS requires_action, sum(outcome = 'other') AS other,
    sum(CASE WHEN outcome = 'succeeded' THEN amount_received ELSE 0 END) AS succeeded_amount`;
  const parts = [
    sql`SELECT 'status' AS section, 'all' AS value, currency, ${counts} FROM a GROUP BY currency`,
    ...SECTIONS.map(
      (s) => sql`SELECT ${s} AS section, coalesce(${sql.ref(s)}, ${NONE}) AS value, currency, ${counts} FROM a
        ${s === 'failure_code' || s === 'decline_code' ? sql`WHERE ${sql.ref(s)} IS NOT NULL` : sql``} GROUP BY 2, currency`,
    ),
  ];
  const rows = store.all(sql<Omit<HealthRow, 'success_rate'>>`WITH a AS (${attempts}) ${sql.join(parts, sql` UNION ALL `)}`);
  const order = ['status', ...SECTIONS];
  rows.sort((x, y) => order.indexOf(x.section) - order.indexOf(y.section) || x.currency.localeCompare(y.currency) || y.attempts - x.attempts || x.value.localeCompare(y.value));
  return {
    range: { from: range.from, to: range.to, tz: range.tz },
    rows: rows.map((r) => ({ ...r, success_rate: r.attempts ? r.succeeded / r.attempts : null })),
  };
}
