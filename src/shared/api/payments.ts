import { z } from 'zod';
import { defineMethods } from './define';

export const paymentSummary = z.object({
  id: z.string(),
  kind: z.enum(['payment_intent', 'invoice']),
  status: z.string(),
  amount: z.number(),
  amountReceived: z.number(),
  amountRefunded: z.number(),
  currency: z.string(),
  created: z.number(),
  succeededAt: z.number().nullable(),
  customer: z.string().nullable(),
  email: z.string().nullable(),
  paymentMethodType: z.string().nullable(),
  cardBrand: z.string().nullable(),
  failureCode: z.string().nullable(),
  failureMessage: z.string().nullable(),
  clientId: z.string().nullable(),
  sessionId: z.string().nullable(),
  anonymousId: z.string().nullable(),
  /** Null when attributable; otherwise the reason in plain words. */
  unattributedReason: z.string().nullable(),
  disputed: z.boolean(),
  livemode: z.boolean(),
});
export type PaymentSummary = z.infer<typeof paymentSummary>;

const stripeRow = z.record(z.string(), z.unknown());

export const paymentDetail = z.object({
  payment: paymentSummary,
  metadata: z.record(z.string(), z.string()),
  charges: z.array(stripeRow),
  refunds: z.array(stripeRow),
  disputes: z.array(stripeRow),
  events: z.array(z.object({ id: z.string(), type: z.string(), created: z.number() })),
});
export type PaymentDetail = z.infer<typeof paymentDetail>;

export const paymentMethods = defineMethods({
  'payments.list': {
    input: z.object({
      limit: z.number().int().min(1).max(1000).default(100),
      offset: z.number().int().min(0).default(0),
      status: z.string().optional(),
    }),
    output: z.array(paymentSummary),
  },
  'payments.get': { input: z.object({ id: z.string().min(1) }), output: paymentDetail },
});
