// The receiver: turns one HTTP request to a webhook route into an answer and a
// delivery row. Transport-free, so the HTTP listener, replay and tests share it.
// An answer of 2xx is given only after the delivery and its event are committed.
import type { DeliverySummary } from '../../shared/api/deliveries';
import type { GroupCommitter } from '../db/group-commit';
import type { Store } from '../db/store';
import { NotFoundError, UserError } from '../errors';
import { type Applier, attributionWarnings, type StripeEvent } from './apply';
import { type DeliveryLog, type DeliveryRecord, bodyForLog, headersForLog } from './delivery-log';
import type { Endpoints, ResolvedEndpoint } from './endpoints';
import { HANDLED_EVENT_TYPES, NOT_USED_FOR_REPORTS } from './event-types';
import { isObject, str } from './stripe-fields';
import { bodyText, verifySignature } from './verify';

export const MAX_BODY_BYTES = 1024 * 1024;
const WEBHOOK_ROUTE = /^\/stripe\/webhook\/([^/?#]+)\/?$/;

export interface IncomingDelivery {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** The body went over MAX_BODY_BYTES and was cut there. */
  bodyTooLarge: boolean;
  remoteAddress: string | null;
  receivedAt: number;
  /** When the signature's age is judged; a replay uses the original arrival. Defaults to receivedAt. */
  verifyAt?: number;
}

export interface Answer {
  status: number;
  body: Record<string, unknown>;
}

interface Options {
  store: Store;
  commits: GroupCommitter;
  endpoints: Endpoints;
  log: DeliveryLog;
  applier: Applier;
  onDelivery: (delivery: DeliverySummary) => void;
  now?: () => number;
}

export const isWebhookRoute = (path: string) => WEBHOOK_ROUTE.test(path);

/** Reads and checks the event envelope (the body as text); a string says what is wrong. */
export function parseEvent(text: string): StripeEvent | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return 'body is not valid JSON';
  }
  if (!isObject(parsed) || parsed.object !== 'event') return 'body is not an event object';
  if (!str(parsed.id)) return 'event has no id';
  if (!str(parsed.type)) return 'event has no type';
  if (typeof parsed.created !== 'number') return 'event has no created time';
  if (typeof parsed.livemode !== 'boolean') return 'event has no livemode';
  if (!isObject(parsed.data) || !isObject(parsed.data.object)) return 'event has no data.object';
  if (!str(parsed.data.object.id) && parsed.type !== 'ping') return 'event data.object has no id';
  return parsed as unknown as StripeEvent;
}

const header = (headers: IncomingDelivery['headers'], name: string) => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

export function createReceiver(options: Options) {
  const { store, commits, endpoints, log, applier, onDelivery } = options;
  const now = options.now ?? Date.now;
  const { db } = store;
  /** Delivery rows that could not be written (database down); written with the next commit. */
  let unlogged: DeliveryRecord[] = [];

  /** Writes the waiting rows (oldest first) and remembers them in `taken`, to put back if this commit fails. */
  const writeUnlogged = (taken: DeliveryRecord[]) => {
    taken.push(...unlogged);
    unlogged = [];
    return taken.map((record) => log.insert(record));
  };

  async function handle(request: IncomingDelivery, replay?: { of: number; endpoint: ResolvedEndpoint | undefined }): Promise<Answer> {
    const started = performance.now();
    const token = WEBHOOK_ROUTE.exec(request.path)?.[1];
    const endpoint = replay ? replay.endpoint : token ? endpoints.resolveToken(token) : undefined;
    const signature = header(request.headers, 'stripe-signature');
    let keepBody = true;

    const base = (): DeliveryRecord => {
      // Only a kept body is turned into text here; accepted ones mostly are not kept.
      const kept = keepBody ? bodyForLog(request.body) : undefined;
      return {
        received_at: request.receivedAt,
        endpoint_id: endpoint?.row.id ?? null,
        endpoint_name: endpoint?.row.name ?? null,
        remote_address: request.remoteAddress,
        method: request.method,
        path: request.path,
        headers: headersForLog(request.headers),
        body: kept ? kept.body : null,
        body_size: request.body.length,
        body_truncated: kept && (kept.truncated || request.bodyTooLarge) ? 1 : 0,
        signature: keepBody ? (signature ?? null) : null,
        verification: 'not_checked',
        event_id: null,
        event_type: null,
        outcome: 'rejected',
        result: '',
        warnings: '[]',
        status: 0,
        duration_ms: 0,
        replay_of: replay?.of ?? null,
      };
    };

    /** The base record with `fields` set and the time taken so far. */
    const finish = (fields: Partial<DeliveryRecord>): DeliveryRecord => {
      const record = Object.assign(base(), fields);
      record.duration_ms = Math.round((performance.now() - started) * 100) / 100;
      return record;
    };

    /** Logs a refused delivery; the answer stands even if the log write fails. */
    const refuse = async (status: number, error: string, extra: Partial<DeliveryRecord> = {}): Promise<Answer> => {
      const record = finish({ status, result: error, ...extra });
      const taken: DeliveryRecord[] = [];
      try {
        const summaries = await commits.submit(() => [...writeUnlogged(taken), log.insert(record)]);
        for (const summary of summaries) onDelivery(summary);
      } catch {
        unlogged = [...taken, ...unlogged, record];
      }
      return { status, body: { error } };
    };

    if (!endpoint) return refuse(404, 'Webhook endpoint not found');
    if (request.method !== 'POST') return refuse(405, 'Method not allowed: webhooks are delivered with POST');
    if (request.bodyTooLarge) return refuse(413, 'Payload too large');
    if (!signature) return refuse(400, 'Missing stripe-signature header');
    const text = bodyText(request.body);
    const verified = verifySignature(text, signature, endpoint.secrets, request.verifyAt ?? request.receivedAt);
    if (!verified.ok) return refuse(400, `Invalid signature: ${verified.reason}`, { verification: 'failed' });

    const event = parseEvent(text);
    if (typeof event === 'string') return refuse(400, `Not a Stripe event: ${event}`, { verification: 'verified' });
    const identity = { verification: 'verified' as const, event_id: event.id, event_type: event.type };
    const eventMode = event.livemode ? 'live' : 'test';
    if (eventMode !== endpoint.row.mode)
      return refuse(400, `Live/test mode mismatch: endpoint is ${endpoint.row.mode}, event is ${eventMode}`, identity);

    keepBody = endpoint.row.debug === 1;
    const warnings = attributionWarnings(event, endpoint.clientIds);
    const taken: DeliveryRecord[] = [];
    try {
      const { duplicate, summaries } = await commits.submit(() => {
        const row = {
          id: event.id,
          type: event.type,
          api_version: event.api_version ?? null,
          created: event.created,
          livemode: event.livemode ? 1 : 0,
          endpoint_id: endpoint.row.id,
          object_type: str(event.data.object.object),
          object_id: str(event.data.object.id),
          handled: HANDLED_EVENT_TYPES.has(event.type) ? 1 : 0,
          payload: text,
          received_at: request.receivedAt,
        };
        const inserted = store.runShaped(
          'insert event',
          () => db.insertInto('events').values(row).onConflict((oc) => oc.column('id').doNothing()),
          Object.values(row),
        );
        const isDuplicate = inserted.changes === 0;
        let result: string;
        if (isDuplicate) result = 'duplicate: already stored, no second effect';
        else {
          const handled = applier.apply(event);
          result = warnings.length > 0 ? warnings.join('; ') : handled ? 'stored' : `stored (${NOT_USED_FOR_REPORTS})`;
        }
        const record = finish({
          ...identity,
          outcome: isDuplicate ? 'duplicate' : warnings.length > 0 ? 'warning' : 'stored',
          result,
          warnings: JSON.stringify(isDuplicate ? [] : warnings),
          status: 200,
        });
        return { duplicate: isDuplicate, summaries: [...writeUnlogged(taken), log.insert(record)] };
      });
      for (const summary of summaries) onDelivery(summary);
      return { status: 200, body: { received: true, id: event.id, type: event.type, duplicate } };
    } catch (error) {
      // Not stored: a failed delivery keeps its body (and signature) whatever the debug setting.
      keepBody = true;
      unlogged = [...taken, ...unlogged];
      unlogged.push(
        finish({ ...identity, outcome: 'error', result: `Temporarily unavailable: ${(error as Error).message}`, status: 503 }),
      );
      return { status: 503, body: { error: 'Temporarily unavailable (Stripe retries)' } };
    }
  }

  /** Runs a stored delivery through processing again, judging its timestamp by its original arrival. */
  async function replay(id: number): Promise<DeliverySummary> {
    const row = log.getRow(id);
    if (row.body === null)
      throw new UserError(`Delivery ${id} has no stored body to replay (accepted deliveries keep their body only while the endpoint's debug mode is on)`);
    if (row.body_truncated === 1) throw new UserError(`Delivery ${id} was too large to keep in full, so it cannot be replayed`);
    const token = WEBHOOK_ROUTE.exec(row.path)?.[1];
    const endpoint = (row.endpoint_id ? endpoints.resolveId(row.endpoint_id) : undefined) ?? (token ? endpoints.resolveToken(token) : undefined);
    const before = store.first(db.selectFrom('deliveries').select((eb) => eb.fn.max('id').as('max')));
    await handle(
      {
        method: row.method,
        path: row.path,
        headers: { ...(JSON.parse(row.headers) as Record<string, string>), 'stripe-signature': row.signature ?? undefined },
        body: Buffer.from(row.body, 'utf8'),
        bodyTooLarge: false,
        remoteAddress: 'replay',
        receivedAt: now(),
        verifyAt: row.received_at,
      },
      { of: id, endpoint },
    );
    const replayed = store.first(
      db.selectFrom('deliveries').select('id').where('replay_of', '=', id).where('id', '>', before?.max ?? 0).orderBy('id', 'desc').limit(1),
    );
    if (!replayed) throw new NotFoundError(`Replay of delivery ${id} could not be recorded (database unavailable)`);
    return log.list({ limit: 1, afterId: replayed.id - 1, failedOnly: false })[0]!;
  }

  return { handle, replay };
}

export type Receiver = ReturnType<typeof createReceiver>;
