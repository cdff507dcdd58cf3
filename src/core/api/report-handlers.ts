// API handlers of the reports area.
import type { Engine } from '../engine';
import type { HandlersFor } from './handlers';

type ReportMethod = `reports.${'revenue' | 'payments' | 'attribution' | 'conversion' | 'customers' | 'subscriptions' | 'journey'}`;

export function createReportHandlers(engine: Engine): HandlersFor<ReportMethod> {
  return {
    'reports.revenue': (input) => engine.reports.revenue(input),
    'reports.payments': (input) => engine.reports.payments(input),
    'reports.attribution': (input) => engine.reports.attribution(input),
    'reports.conversion': (input) => engine.reports.conversion(input),
    'reports.customers': (input) => engine.reports.customers(input),
    'reports.subscriptions': (input) => engine.reports.subscriptions(input),
    'reports.journey': (input) => engine.reports.journey(input),
  };
}
