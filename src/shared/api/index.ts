// The one typed API. Electron (IPC) and headless (HTTP + SSE) serve this same map.
import { z } from 'zod';
import { defineMethods } from './define';
import { deliveryMethods, deliverySummary } from './deliveries';
import { endpointMethods } from './endpoints';
import { importMethods, importProgress } from './imports';
import { paymentMethods } from './payments';
import { reportMethods } from './reports';

const serverMethods = defineMethods({
  'server.info': {
    input: z.object({}),
    output: z.object({
      version: z.string(),
      dataDir: z.string(),
      webhookBaseUrl: z.string(),
      publicBaseUrl: z.string().nullable(),
    }),
  },
});

export const api = {
  ...serverMethods,
  ...endpointMethods,
  ...deliveryMethods,
  ...paymentMethods,
  ...importMethods,
  ...reportMethods,
};

export type Api = typeof api;
export type ApiMethod = keyof Api;
/** What a caller passes (defaults may be left out). */
export type ApiInput<M extends ApiMethod> = z.input<Api[M]['input']>;
/** What a handler receives, defaults applied. */
export type ApiParsedInput<M extends ApiMethod> = z.output<Api[M]['input']>;
export type ApiOutput<M extends ApiMethod> = z.output<Api[M]['output']>;

export const isApiMethod = (name: string): name is ApiMethod => Object.prototype.hasOwnProperty.call(api, name);

/** Events pushed to subscribers (SSE in headless mode, IPC in Electron). */
export const pushEvents = {
  delivery: deliverySummary,
  'import.progress': importProgress,
};
export type PushEvents = { [K in keyof typeof pushEvents]: z.output<(typeof pushEvents)[K]> };
export type PushEventName = keyof PushEvents;

export * from './deliveries';
export * from './endpoints';
export * from './imports';
export * from './payments';
export * from './reports';
