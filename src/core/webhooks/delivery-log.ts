// The delivery log: one row for every request to a webhook route, accepted or not.
import type { DeliveryDetail, DeliverySummary } from '../../shared/api/deliveries';
import type { ApiParsedInput } from '../../shared/api/index';
import type { DeliveryTable } from '../db/schema';
import type { Store } from '../db/store';
import { NotFoundError } from '../errors';
import type { Selectable } from 'kysely';

export const MAX_STORED_BODY_BYTES = 256 * 1024;

type DeliveryRow = Selectable<DeliveryTable>;
/** A delivery row before it has an id: every column given, so each insert has the same shape. */
export type DeliveryRecord = Omit<DeliveryRow, 'id'>;

/** The columns of an insert, in bind order (the record type makes the list complete). */
const RECORD_COLUMNS = Object.keys({
  received_at: 1, endpoint_id: 1, endpoint_name: 1, remote_address: 1, method: 1, path: 1, headers: 1, body: 1,
  body_size: 1, body_truncated: 1, signature: 1, verification: 1, event_id: 1, event_type: 1, outcome: 1,
  result: 1, warnings: 1, status: 1, duration_ms: 1, replay_of: 1,
} satisfies Record<keyof DeliveryRecord, 1>) as Array<keyof DeliveryRecord>;

/** `t=…,v1=…` with each signature cut to its first 8 characters: enough to compare, useless to forge. */
export function shortenSignature(header: string): string {
  return header
    .split(',')
    .map((part) => {
      const [key, value = ''] = part.split('=', 2);
      return key?.trim() === 't' || value.length <= 12 ? part : `${key}=${value.slice(0, 8)}…`;
    })
    .join(',');
}

export function headersForLog(headers: Record<string, string | string[] | undefined>): string {
  const out: Record<string, string> = {};
  for (const key in headers) {
    const value = headers[key];
    if (value === undefined) continue;
    const name = key.toLowerCase();
    const text = Array.isArray(value) ? value.join(', ') : value;
    out[name] = name === 'stripe-signature' ? shortenSignature(text) : text.slice(0, 1024);
  }
  return JSON.stringify(out);
}

/** The body as kept in the log: at most 256 KiB of text. */
export function bodyForLog(body: Buffer): { body: string; truncated: boolean } {
  if (body.length <= MAX_STORED_BODY_BYTES) return { body: body.toString('utf8'), truncated: false };
  return { body: body.subarray(0, MAX_STORED_BODY_BYTES).toString('utf8'), truncated: true };
}

export function summaryOf(id: number, row: DeliveryRecord): DeliverySummary {
  return {
    id,
    receivedAt: row.received_at,
    endpointId: row.endpoint_id,
    endpointName: row.endpoint_name,
    remoteAddress: row.remote_address,
    method: row.method,
    path: row.path,
    verification: row.verification,
    eventId: row.event_id,
    eventType: row.event_type,
    outcome: row.outcome,
    result: row.result,
    warnings: JSON.parse(row.warnings) as string[],
    status: row.status,
    durationMs: row.duration_ms,
    replayOf: row.replay_of,
    hasBody: row.body !== null,
  };
}

export interface Retention {
  days: number;
  maxRows: number;
}

export function createDeliveryLog(store: Store) {
  const { db } = store;
  const summaryColumns = [
    'id', 'received_at', 'endpoint_id', 'endpoint_name', 'remote_address', 'method', 'path', 'verification',
    'event_id', 'event_type', 'outcome', 'result', 'warnings', 'status', 'duration_ms', 'replay_of',
  ] as const;

  const getRow = (id: number) => {
    const row = store.first(db.selectFrom('deliveries').selectAll().where('id', '=', id));
    if (!row) throw new NotFoundError(`No delivery with id ${id}`);
    return row;
  };

  return {
    /** Inserts a delivery row (call inside a transaction) and returns its summary. */
    insert(record: DeliveryRecord): DeliverySummary {
      const { lastInsertRowid } = store.runShaped(
        'insert delivery',
        // Built in RECORD_COLUMNS order, whatever the record's own key order, to match the binds.
        () => db.insertInto('deliveries').values(Object.fromEntries(RECORD_COLUMNS.map((column) => [column, record[column]])) as DeliveryRecord),
        RECORD_COLUMNS.map((column) => record[column]),
      );
      return summaryOf(Number(lastInsertRowid), record);
    },

    list(input: ApiParsedInput<'deliveries.list'>): DeliverySummary[] {
      let query = db
        .selectFrom('deliveries')
        .select([...summaryColumns, (eb) => eb('body', 'is not', null).as('has_body')])
        .limit(input.limit);
      if (input.beforeId !== undefined) query = query.where('id', '<', input.beforeId);
      if (input.afterId !== undefined) query = query.where('id', '>', input.afterId);
      if (input.failedOnly) query = query.where('status', '>=', 300);
      if (input.endpointId) query = query.where('endpoint_id', '=', input.endpointId);
      // Following reads oldest-first after a cursor; browsing reads newest-first.
      query = input.afterId !== undefined ? query.orderBy('id', 'asc') : query.orderBy('id', 'desc');
      return store.all(query).map((row) => summaryOf(row.id, { ...row, body: row.has_body ? '' : null } as unknown as DeliveryRecord));
    },

    getRow,

    get(id: number, usedForReports: boolean | null): DeliveryDetail {
      const row = getRow(id);
      return {
        ...summaryOf(row.id, row),
        headers: JSON.parse(row.headers) as Record<string, string>,
        body: row.body,
        bodySize: row.body_size,
        bodyTruncated: row.body_truncated === 1,
        usedForReports,
      };
    },

    /**
     * Drops rows older than `days` and all but the newest `maxRows`. Returns rows removed.
     * Ids follow arrival, so the expired rows are the run before the first row still within
     * `days`: found by reading from the oldest row on, without an index on time. A row written
     * out of order (held back while the database was unavailable) goes with the rows before it.
     */
    prune(retention: Retention, now: number): number {
      const cutoff = now - retention.days * 24 * 60 * 60 * 1000;
      const firstKept = store.first(db.selectFrom('deliveries').select('id').where('received_at', '>=', cutoff).orderBy('id').limit(1));
      const byAge = store.run(firstKept ? db.deleteFrom('deliveries').where('id', '<', firstKept.id) : db.deleteFrom('deliveries')).changes;
      const newest = store.first(db.selectFrom('deliveries').select('id').orderBy('id', 'desc').offset(retention.maxRows - 1).limit(1));
      const byCount = newest ? store.run(db.deleteFrom('deliveries').where('id', '<', newest.id)).changes : 0;
      return byAge + byCount;
    },
  };
}

export type DeliveryLog = ReturnType<typeof createDeliveryLog>;
