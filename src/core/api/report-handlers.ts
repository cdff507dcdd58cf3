// API handlers of the reports area: reports run on the report worker thread.
import type { Engine } from '../engine';
import type { HandlersFor } from './handlers';

type ReportMethod = `reports.${'revenue' | 'payments' | 'attribution' | 'conversion' | 'customers' | 'subscriptions' | 'journey'}`;

export function createReportHandlers(engine: Engine): HandlersFor<ReportMethod> {
  return {
    'reports.revenue': (input) => engine.reportRunner.run('revenue', input),
    'reports.payments': (input) => engine.reportRunner.run('payments', input),
    'reports.attribution': (input) => engine.reportRunner.run('attribution', input),
    'reports.conversion': (input) => engine.reportRunner.run('conversion', input),
    'reports.customers': (input) => engine.reportRunner.run('customers', input),
    'reports.subscriptions': (input) => engine.reportRunner.run('subscriptions', input),
    'reports.journey': (input) => engine.reportRunner.run('journey', input),
  };
}
