// API handlers of the reports area.
import type { Engine } from '../engine';
import { createReports } from '../reports/index';
import type { HandlersFor } from './handlers';

type ReportMethod = `reports.${'revenue' | 'payments' | 'attribution' | 'conversion' | 'customers' | 'subscriptions' | 'journey'}`;

export function createReportHandlers(engine: Engine): HandlersFor<ReportMethod> {
  const reports = createReports(engine.store, engine.now);
  return {
    'reports.revenue': (input) => reports.revenue(input),
    'reports.payments': (input) => reports.payments(input),
    'reports.attribution': (input) => reports.attribution(input),
    'reports.conversion': (input) => reports.conversion(input),
    'reports.customers': (input) => reports.customers(input),
    'reports.subscriptions': (input) => reports.subscriptions(input),
    'reports.journey': (input) => reports.journey(input),
  };
}
