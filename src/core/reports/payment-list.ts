// The raw payment list for export: every payment attempt created in the range, any status.
import { sql } from 'kysely';
import type { Store } from '../db/store';
import { PAYMENTS, unattributedReason } from '../payments';
import { localTime } from './local-time';
import type { ReportRange } from './periods';

export interface PaymentListRow {
  id: string;
  kind: string;
  status: string;
  created: string;
  succeeded_at: string;
  currency: string;
  amount: number;
  amount_received: number;
  amount_refunded: number;
  amount_disputed_lost: number;
  net: number;
  customer: string;
  email: string;
  payment_method_type: string;
  card_brand: string;
  card_country: string;
  failure_code: string;
  decline_code: string;
  failure_message: string;
  client_id: string;
  session_id: string;
  anonymous_id: string;
  campaign: string;
  source: string;
  affiliate_id: string;
  unattributed_reason: string;
}

type Raw = Record<string, string | number | null>;

export function paymentList(store: Store, range: ReportRange, currency: string | null): PaymentListRow[] {
  const rows = store.all(sql<Raw>`SELECT * FROM (${PAYMENTS}) p
    WHERE coalesce(succeeded_at, created) >= ${range.start} AND coalesce(succeeded_at, created) < ${range.end} AND (${currency} IS NULL OR currency = ${currency})
    ORDER BY coalesce(succeeded_at, created), id`);
  const text = (v: unknown) => (v === null || v === undefined ? '' : String(v));
  return rows.map((r) => {
    const received = Number(r.amount_received);
    const refunded = Number(r.amount_refunded);
    const disputed = Number(r.amount_disputed_lost);
    return {
      id: text(r.id),
      kind: text(r.kind),
      status: text(r.status),
      created: localTime(Number(r.created), range.tz),
      succeeded_at: r.succeeded_at === null ? '' : localTime(Number(r.succeeded_at), range.tz),
      currency: text(r.currency),
      amount: Number(r.amount),
      amount_received: received,
      amount_refunded: refunded,
      amount_disputed_lost: disputed,
      net: received - refunded - disputed,
      customer: text(r.customer),
      email: text(r.email),
      payment_method_type: text(r.payment_method_type),
      card_brand: text(r.card_brand),
      card_country: text(r.card_country),
      failure_code: text(r.failure_code),
      decline_code: text(r.decline_code),
      failure_message: text(r.failure_message),
      client_id: text(r.client_id),
      session_id: text(r.session_id),
      anonymous_id: text(r.anonymous_id),
      campaign: text(r.campaign),
      source: text(r.source),
      affiliate_id: text(r.affiliate_id),
      unattributed_reason: text(unattributedReason(r.session_id as string | null, r.session_known === 1)),
    };
  });
}
