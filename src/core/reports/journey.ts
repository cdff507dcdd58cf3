// One payment's journey: the visitor's sessions up to the payment (marking those inside the
// lookback as touchpoints), the payment, then its refunds and disputes, in time order.
import { sql } from 'kysely';
import type { ApiOutput, ApiParsedInput } from '../../shared/api/index';
import type { Store } from '../db/store';
import { NotFoundError } from '../errors';
import { PAYMENTS, unattributedReason } from '../payments';
import { localTime } from './local-time';
import { checkZone } from './periods';

type Output = ApiOutput<'reports.journey'>;
type Row = Output['rows'][number];

const DAY_MS = 86_400_000;
const MAX_PAGES = 20;

interface SessionRow {
  session_id: string;
  anonymous_id: string | null;
  started_at: number;
  landing_path: string | null;
  pageviews: number;
  utm_source: string | null;
  utm_medium: string | null;
  referrer_domain: string | null;
}

const sourceOf = (s: SessionRow) =>
  s.utm_source ? (s.utm_medium ? `${s.utm_source} / ${s.utm_medium}` : s.utm_source) : (s.referrer_domain ?? '(direct)');

export function journeyReport(store: Store, input: ApiParsedInput<'reports.journey'>): Output {
  const tz = checkZone(input.tz);
  const payment = store.first(sql<{ id: string; status: string; amount: number; amount_received: number; currency: string; created: number; succeeded_at: number | null; session_id: string | null; anonymous_id: string | null }>`
    SELECT id, status, amount, amount_received, currency, created, succeeded_at, session_id, anonymous_id FROM (${PAYMENTS}) p WHERE id = ${input.payment}`);
  if (!payment) throw new NotFoundError(`No payment with id ${input.payment}`);
  const paidAt = payment.succeeded_at ?? payment.created;
  const paidMs = paidAt * 1000;
  const sessionColumns = sql`session_id, anonymous_id, started_at, landing_path, pageviews, utm_source, utm_medium, referrer_domain`;
  const own = payment.session_id
    ? store.first(sql<SessionRow>`SELECT ${sessionColumns} FROM analytics_sessions WHERE session_id = ${payment.session_id}`)
    : undefined;
  const visitor = payment.anonymous_id ?? own?.anonymous_id ?? null;
  const sessions = visitor
    ? store.all(sql<SessionRow>`SELECT ${sessionColumns} FROM analytics_sessions WHERE anonymous_id = ${visitor} AND started_at <= ${paidMs} ORDER BY started_at`)
    : own
      ? [own]
      : [];
  const reason = unattributedReason(payment.session_id, own !== undefined);
  const windowStart = paidMs - input.lookbackDays * DAY_MS;
  const rows: Row[] = sessions.map((s) => {
    const paths = store.all(sql<{ path: string | null }>`SELECT path FROM pageviews WHERE session_id = ${s.session_id} AND event_name = 'pageview' ORDER BY time LIMIT ${MAX_PAGES + 1}`);
    const shown = paths.slice(0, MAX_PAGES).map((p) => p.path ?? '?');
    return {
      time: localTime(Math.floor(s.started_at / 1000), tz),
      at: s.started_at,
      kind: 'session',
      id: s.session_id,
      source: sourceOf(s),
      landing_path: s.landing_path ?? '',
      pages: shown.join(' → ') + (paths.length > MAX_PAGES ? ' → …' : ''),
      pageviews: s.pageviews,
      touchpoint: reason === null && s.started_at >= windowStart,
      status: '',
      amount: null,
      currency: '',
    };
  });
  const money = (kind: Row['kind'], id: string, at: number, status: string, amount: number, currency: string): Row => ({
    time: localTime(at, tz), at: at * 1000, kind, id, source: '', landing_path: '', pages: '', pageviews: 0, touchpoint: false, status, amount, currency,
  });
  rows.push(money('payment', payment.id, paidAt, payment.status, payment.amount_received || payment.amount, payment.currency));
  const related = sql`payment_intent = ${payment.id} OR charge IN (SELECT id FROM charges WHERE payment_intent = ${payment.id} OR invoice = ${payment.id})`;
  for (const r of store.all(sql<{ id: string; created: number; status: string; amount: number; currency: string }>`SELECT id, created, status, amount, currency FROM refunds WHERE ${related}`))
    rows.push(money('refund', r.id, r.created, r.status, r.amount, r.currency));
  for (const d of store.all(sql<{ id: string; created: number; status: string; amount: number; currency: string }>`SELECT id, created, status, amount, currency FROM disputes WHERE ${related}`))
    rows.push(money('dispute', d.id, d.created, d.status, d.amount, d.currency));
  const order = { session: 0, payment: 1, refund: 2, dispute: 3 };
  rows.sort((a, b) => a.at - b.at || order[a.kind] - order[b.kind]);
  return { payment: payment.id, visitor, unattributedReason: reason, rows };
}
