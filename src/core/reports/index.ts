// The reports engine: every report reads the store, refreshing precomputed tables first when
// webhooks or imports changed their sources.
import type { ApiParsedInput } from '../../shared/api/index';
import type { Store } from '../db/store';
import { attributionReport } from './attribution';
import { conversionReport } from './conversion';
import { customersReport } from './customers';
import { createFreshness } from './freshness';
import { journeyReport } from './journey';
import { paymentHealthReport } from './payment-health';
import { paymentList } from './payment-list';
import { resolveRange } from './periods';
import { revenueReport } from './revenue';
import { subscriptionsReport } from './subscriptions';

export function createReports(store: Store, now: () => number = Date.now) {
  const freshness = createFreshness(store, now);
  return {
    revenue: (input: ApiParsedInput<'reports.revenue'>) => revenueReport(store, freshness, input, now()),
    payments: (input: ApiParsedInput<'reports.payments'>) => paymentHealthReport(store, input, now()),
    attribution: (input: ApiParsedInput<'reports.attribution'>) => attributionReport(store, freshness, input, now()),
    conversion: (input: ApiParsedInput<'reports.conversion'>) => conversionReport(store, freshness, input, now()),
    customers: (input: ApiParsedInput<'reports.customers'>) => customersReport(store, freshness, input, now()),
    subscriptions: (input: ApiParsedInput<'reports.subscriptions'>) => subscriptionsReport(store, input, now()),
    journey: (input: ApiParsedInput<'reports.journey'>) => journeyReport(store, input),
    paymentList: (input: ApiParsedInput<'reports.payments'>) => paymentList(store, resolveRange(input, now()), input.currency ?? null),
  };
}

export type Reports = ReturnType<typeof createReports>;
