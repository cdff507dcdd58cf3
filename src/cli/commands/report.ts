import { UserError } from '../../core/errors';
import type { Engine } from '../../core/engine';
import { cellText, type TableSpec, toCsv } from '../../core/reports/csv';
import { reportTables, type ReportTables } from '../../core/reports/tables';
import { REPORT_NAMES, type ReportName } from '../../shared/api/reports';
import { type Command, parse, parseIntFlag, validated, withEngine } from '../command';
import { table } from '../format';

export const REPORT_USAGE = `  --from YYYY-MM-DD --to YYYY-MM-DD   inclusive dates in --tz (default: the last 30 days)
  --tz ZONE                           IANA time zone (default: this machine's)
  --currency CODE                     only this currency
  --interval day|week|month           revenue (day), subscriptions (month)
  --by DIMENSION                      attribution, conversion, customers: utm_source (default), utm_medium,
                                      utm_campaign, utm_term, utm_content, referrer_domain, landing_path, country,
                                      region, city, device_type, browser_name, os_name, campaign, source, affiliate_id
  --model MODEL                       attribution: last_touch (default), first_touch, linear, position_based, time_decay
  --lookback-days N                   attribution, customers, journey (default 30)
  --payment ID                        journey: the payment to follow
  --table NAME                        which table of the report (e.g. customers: rows, summary, ltv, cohorts)`;

export const reportOptions = {
  from: { type: 'string' },
  to: { type: 'string' },
  tz: { type: 'string' },
  currency: { type: 'string' },
  interval: { type: 'string' },
  by: { type: 'string' },
  model: { type: 'string' },
  'lookback-days': { type: 'string' },
  payment: { type: 'string' },
  table: { type: 'string' },
  format: { type: 'string' },
} as const;

type Flags = Partial<Record<keyof typeof reportOptions, string>>;

export function reportName(name: string | undefined): ReportName {
  if (!name || !(REPORT_NAMES as readonly string[]).includes(name)) throw new UserError(`name a report: ${REPORT_NAMES.join(', ')}${name ? ` (got "${name}")` : ''}`);
  return name as ReportName;
}

/** Runs a report with flags as its input; returns the full output and its tables. */
export function runReport(engine: Engine, name: ReportName, flags: Flags): { output: unknown; tables: ReportTables } {
  const { reports } = engine;
  const range = { from: flags.from, to: flags.to, tz: flags.tz, currency: flags.currency };
  const lookbackDays = parseIntFlag(flags['lookback-days'], 'lookback-days', 30, 1, 365);
  switch (name) {
    case 'revenue': {
      const o = reports.revenue(validated('reports.revenue', { ...range, interval: flags.interval }));
      return { output: o, tables: reportTables.revenue(o) };
    }
    case 'payments': {
      const o = reports.payments(validated('reports.payments', range));
      return { output: o, tables: reportTables.payments(o) };
    }
    case 'attribution': {
      const o = reports.attribution(validated('reports.attribution', { ...range, by: flags.by, model: flags.model, lookbackDays }));
      return { output: o, tables: reportTables.attribution(o) };
    }
    case 'conversion': {
      const o = reports.conversion(validated('reports.conversion', { ...range, by: flags.by }));
      return { output: o, tables: reportTables.conversion(o) };
    }
    case 'customers': {
      const o = reports.customers(validated('reports.customers', { ...range, by: flags.by, lookbackDays }));
      return { output: o, tables: reportTables.customers(o) };
    }
    case 'subscriptions': {
      const o = reports.subscriptions(validated('reports.subscriptions', { ...range, interval: flags.interval }));
      return { output: o, tables: reportTables.subscriptions(o) };
    }
    case 'journey': {
      if (!flags.payment) throw new UserError('journey needs --payment <payment id>');
      const o = reports.journey(validated('reports.journey', { payment: flags.payment, tz: flags.tz, lookbackDays }));
      return { output: o, tables: reportTables.journey(o) };
    }
  }
}

export function pickTable(tables: ReportTables, name: string | undefined): TableSpec {
  const key = name ?? tables.main;
  const found = tables.tables[key];
  if (!found) throw new UserError(`--table must be one of ${Object.keys(tables.tables).join(', ')} (got "${key}")`);
  return found;
}

export function textTable(spec: TableSpec): string {
  const rows = spec.rows.map((row) => Object.fromEntries(spec.columns.map((c) => [c.header ?? c.key, cellText(row, c)])));
  return table(rows, spec.columns.map((c) => c.header ?? c.key));
}

export const reportCommand: Command = {
  name: 'report',
  summary: `Show a report (${REPORT_NAMES.join(', ')}) as a table, CSV or JSON`,
  usage: `paylens report <${REPORT_NAMES.join('|')}> [--format table|csv|json] [options]\n${REPORT_USAGE}`,
  async run(args, io) {
    const { values, positionals } = parse(args, reportOptions);
    const name = reportName(positionals[0]);
    const format = values.json ? 'json' : (values.format ?? 'table');
    if (!['table', 'csv', 'json'].includes(format)) throw new UserError(`--format must be table, csv or json (got "${format}")`);
    return withEngine(values['data-dir'], (engine) => {
      const { output, tables } = runReport(engine, name, values);
      if (format === 'json') io.out(JSON.stringify(output, null, io.isTty ? 2 : undefined));
      else if (format === 'csv') io.out(toCsv(pickTable(tables, values.table)).replace(/\r\n$/, ''));
      else if (values.table) io.out(textTable(pickTable(tables, values.table)));
      else {
        const names = Object.keys(tables.tables);
        // Several tables: each under a title; the main one is titled with the report's name.
        const title = (n: string) => (n === tables.main ? name : n);
        io.out(names.map((n) => (names.length > 1 ? `${title(n)}\n${textTable(tables.tables[n])}` : textTable(tables.tables[n]))).join('\n\n'));
      }
      return 0;
    });
  },
};
