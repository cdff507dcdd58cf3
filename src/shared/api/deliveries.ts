import { z } from 'zod';
import { defineMethods } from './define';

export const deliveryOutcome = z.enum(['stored', 'duplicate', 'warning', 'rejected', 'error']);

export const deliverySummary = z.object({
  id: z.number(),
  receivedAt: z.number(),
  endpointId: z.string().nullable(),
  endpointName: z.string().nullable(),
  remoteAddress: z.string().nullable(),
  method: z.string(),
  path: z.string(),
  verification: z.enum(['verified', 'failed', 'not_checked']),
  eventId: z.string().nullable(),
  eventType: z.string().nullable(),
  outcome: deliveryOutcome,
  result: z.string(),
  warnings: z.array(z.string()),
  status: z.number(),
  durationMs: z.number(),
  replayOf: z.number().nullable(),
  hasBody: z.boolean(),
});
export type DeliverySummary = z.infer<typeof deliverySummary>;

export const deliveryDetail = deliverySummary.extend({
  headers: z.record(z.string(), z.string()),
  body: z.string().nullable(),
  bodySize: z.number(),
  bodyTruncated: z.boolean(),
  /** Whether the event type feeds reports; null when no event was stored. */
  usedForReports: z.boolean().nullable(),
});
export type DeliveryDetail = z.infer<typeof deliveryDetail>;

export const deliveryMethods = defineMethods({
  'deliveries.list': {
    input: z.object({
      limit: z.number().int().min(1).max(1000).default(100),
      /** Only rows older than this id (paging backwards). */
      beforeId: z.number().int().optional(),
      /** Only rows newer than this id (following). */
      afterId: z.number().int().optional(),
      failedOnly: z.boolean().default(false),
      endpointId: z.string().optional(),
    }),
    output: z.array(deliverySummary),
  },
  'deliveries.get': { input: z.object({ id: z.number().int() }), output: deliveryDetail },
  'deliveries.replay': { input: z.object({ id: z.number().int() }), output: deliverySummary },
});
