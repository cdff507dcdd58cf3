// The API method map implemented on the engine. Transports (HTTP, IPC) call `callApi`.
import { z } from 'zod';
import { api, type ApiMethod, type ApiOutput, type ApiParsedInput, isApiMethod } from '../../shared/api/index';
import type { Engine } from '../engine';
import { NotFoundError, UserError } from '../errors';
import { createImportHandlers } from './import-handlers';
import { createReportHandlers } from './report-handlers';

export type Handler<M extends ApiMethod> = (input: ApiParsedInput<M>) => Promise<ApiOutput<M>> | ApiOutput<M>;
export type HandlerMap = { [M in ApiMethod]: Handler<M> };
/** Handlers for a subset of methods; each area of the engine provides one (see createHandlers). */
export type HandlersFor<K extends ApiMethod> = { [M in K]: Handler<M> };

export interface ServerInfo {
  version: string;
  webhookBaseUrl: string;
  publicBaseUrl: string | null;
}

export function createHandlers(engine: Engine, info: ServerInfo): HandlerMap {
  const { endpoints, deliveries, payments, receiver, store } = engine;
  return {
    'server.info': () => ({ ...info, dataDir: engine.dataDir }),
    'endpoints.list': () => endpoints.list(),
    'endpoints.get': ({ ref }) => endpoints.get(ref),
    'endpoints.create': (input) => endpoints.create(input),
    'endpoints.update': (input) => endpoints.update(input),
    'endpoints.regenerateToken': ({ ref }) => endpoints.regenerateToken(ref),
    'endpoints.remove': ({ ref }) => endpoints.remove(ref),
    'deliveries.list': (input) => deliveries.list(input),
    'deliveries.get': ({ id }) => {
      const row = deliveries.getRow(id);
      const event = row.event_id ? store.first(store.db.selectFrom('events').select('handled').where('id', '=', row.event_id)) : undefined;
      return deliveries.get(id, event ? event.handled === 1 : null);
    },
    'deliveries.replay': ({ id }) => receiver.replay(id),
    'payments.list': (input) => payments.list(input),
    'payments.get': ({ id }) => payments.get(id),
    ...createImportHandlers(engine),
    ...createReportHandlers(engine),
  };
}

/** Validates `input` against the method's schema, runs it, and validates the output. */
export async function callApi(handlers: HandlerMap, method: string, input: unknown): Promise<unknown> {
  if (!isApiMethod(method)) throw new NotFoundError(`Unknown API method "${method}"`);
  const spec = api[method];
  const parsed = spec.input.safeParse(input ?? {});
  if (!parsed.success) throw new UserError(`Invalid input for ${method}: ${describeIssues(parsed.error)}`);
  const handler = handlers[method] as (input: unknown) => unknown;
  return spec.output.parse(await handler(parsed.data));
}

export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message)).join('; ');
}
