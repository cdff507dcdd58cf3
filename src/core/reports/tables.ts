// Each report's output as named tables with typed columns: what the CLI prints and CSV exports.
import type { ApiOutput } from '../../shared/api/index';
import type { Column, ColumnKind, TableSpec } from './csv';
import type { PaymentListRow } from './payment-list';

const cols = (spec: string): Column[] =>
  spec.split(',').map((part) => {
    const [key, kind = 'text'] = part.trim().split(':');
    return { key, kind: kind as ColumnKind };
  });

const REVENUE = cols('period,currency,gross:money,refunded:money,disputed:money,net:money,payments:int,refunds:int,average_order_value:money');
const byColumn = (by: string) => [{ key: 'value', header: by, kind: 'text' as const }];

export interface ReportTables {
  /** The table `report`/`export` show unless another is asked for. */
  main: string;
  tables: Record<string, TableSpec>;
}

type Rows = Array<Record<string, unknown>>;
const t = (columns: Column[], rows: unknown[]): TableSpec => ({ columns, rows: rows as Rows });

export const reportTables = {
  revenue: (o: ApiOutput<'reports.revenue'>): ReportTables => ({
    main: 'rows',
    tables: { rows: t(REVENUE, o.rows), totals: t(REVENUE.filter((c) => c.key !== 'period'), o.totals) },
  }),
  payments: (o: ApiOutput<'reports.payments'>): ReportTables => ({
    main: 'rows',
    tables: { rows: t(cols('section,value,currency,attempts:int,succeeded:int,failed:int,canceled:int,requires_action:int,other:int,success_rate:rate,succeeded_amount:money'), o.rows) },
  }),
  attribution: (o: ApiOutput<'reports.attribution'>): ReportTables => ({
    main: 'rows',
    tables: {
      rows: t([...byColumn(o.by), ...cols('currency,payments:decimal,gross:money,net:money,share:rate')], o.rows),
      unattributed: t(cols('reason,currency,payments:int,gross:money,net:money'), o.unattributed),
    },
  }),
  conversion: (o: ApiOutput<'reports.conversion'>): ReportTables => ({
    main: 'rows',
    tables: {
      rows: t(
        [...byColumn(o.by), ...cols('currency,sessions:int,visitors:int,converting_sessions:int,converting_visitors:int,conversion_rate:rate,revenue:money,revenue_per_visitor:money')],
        o.rows,
      ),
    },
  }),
  customers: (o: ApiOutput<'reports.customers'>): ReportTables => ({
    main: 'rows',
    tables: {
      rows: t(cols('customer,customer_kind,currency,first_purchase,last_purchase,orders:int,gross:money,net:money,acquisition_source'), o.rows),
      summary: t(
        cols('currency,customers:int,orders:int,repeat_customers:int,repeat_purchase_rate:rate,purchase_frequency:rate,average_days_between_purchases:rate,net:money,average_lifetime_value:money'),
        o.summary,
      ),
      ltv: t(cols('acquisition_source,currency,customers:int,net:money,average_lifetime_value:money'), o.ltv),
      cohorts: t(cols('cohort,currency,months_since:int,customers:int,orders:int,net:money'), o.cohorts),
    },
  }),
  subscriptions: (o: ApiOutput<'reports.subscriptions'>): ReportTables => ({
    main: 'rows',
    tables: {
      rows: t(cols('period,currency,new:money,expansion:money,contraction:money,churn:money,reactivation:money,net_new:money,mrr_end:money'), o.rows),
      summary: t(cols('currency,active_subscriptions:int,active_customers:int,mrr:money,arpa:money,customers_at_start:int,churned_customers:int,customer_churn_rate:rate'), o.summary),
    },
  }),
  journey: (o: ApiOutput<'reports.journey'>): ReportTables => ({
    main: 'rows',
    tables: { rows: t(cols('time,kind,id,source,landing_path,pages,pageviews:int,touchpoint,status,amount:money,currency'), o.rows) },
  }),
};

export function paymentListTable(rows: PaymentListRow[]): TableSpec {
  return t(
    cols(
      'id,kind,status,created,succeeded_at,currency,amount:money,amount_received:money,amount_refunded:money,amount_disputed_lost:money,net:money,' +
        'customer,email,payment_method_type,card_brand,card_country,failure_code,decline_code,failure_message,client_id,session_id,anonymous_id,' +
        'campaign,source,affiliate_id,unattributed_reason',
    ),
    rows,
  );
}
