import type { DeliverySummary } from '../../shared/api/deliveries';

/** The colour class of a delivery: failed (non-2xx), warning (stored with a warning), ok. */
export const statusClass = (d: Pick<DeliverySummary, 'status' | 'outcome'>) =>
  d.status >= 300 ? 'failed' : d.outcome === 'warning' ? 'warning' : d.outcome === 'duplicate' ? 'duplicate' : 'ok';

export const time = (ms: number) => new Date(ms).toLocaleTimeString();
export const dateTime = (ms: number) => new Date(ms).toLocaleString();
