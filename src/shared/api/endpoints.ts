import { z } from 'zod';
import { defineMethods } from './define';

export const endpointMode = z.enum(['test', 'live']);

const secret = z
  .string()
  .trim()
  .refine((s) => s.startsWith('whsec_'), { message: 'Signing secret must start with whsec_ (copy it from the Stripe dashboard or `stripe listen`)' })
  .refine((s) => s.length >= 16 && !/\s/.test(s), { message: 'Signing secret looks truncated or has spaces' });

const clientIds = z.array(z.string().trim().min(1, 'client id must not be empty')).nullable();

export const endpointView = z.object({
  id: z.string(),
  name: z.string(),
  token: z.string(),
  path: z.string(),
  mode: endpointMode,
  debug: z.boolean(),
  clientIds: z.array(z.string()).nullable(),
  /** Masked: `whsec_…abcd`. */
  secret: z.string(),
  previousSecretValidUntil: z.number().nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type EndpointView = z.infer<typeof endpointView>;

/** An endpoint is named by its id, its name or its token. */
const ref = z.object({ ref: z.string().min(1, 'name an endpoint by id, name or token') });

export const endpointMethods = defineMethods({
  'endpoints.list': { input: z.object({}), output: z.array(endpointView) },
  'endpoints.get': { input: ref, output: endpointView },
  'endpoints.create': {
    input: z.object({
      name: z.string().trim().min(1, 'name must not be empty').max(100),
      secret,
      mode: endpointMode.default('test'),
      debug: z.boolean().default(false),
      clientIds: clientIds.default(null),
    }),
    output: endpointView,
  },
  'endpoints.update': {
    input: ref.extend({
      name: z.string().trim().min(1).max(100).optional(),
      /** A new secret; the old one stays valid for 24 hours so Stripe's roll-over works. */
      secret: secret.optional(),
      mode: endpointMode.optional(),
      debug: z.boolean().optional(),
      clientIds: clientIds.optional(),
    }),
    output: endpointView,
  },
  'endpoints.regenerateToken': { input: ref, output: endpointView },
  'endpoints.remove': { input: ref, output: z.object({ removed: z.string() }) },
});
