// Groups mapped rows into batches for the writer. Each batch is committed whole or not at all.
import type { ExportKind } from './fields';
import { ATTRIBUTES, type Attributes, type EventRow, type RowMapper, type SessionRow } from './rows';
import type { Chunk, Rejection } from './source';

/** Rejections kept in detail per import; the rest are only counted. */
export const REJECTIONS_KEPT = 100;

/** What a batch knows of one session: the first non-empty attributes among its rows. */
export interface SessionPart {
  sessionId: string;
  anonymousId: string | null;
  clientId: string | null;
  /** Earliest row time of the session in this batch. */
  firstAt: number;
  attributes: Attributes;
}

interface BatchCommon {
  /** Rows read for this batch, rejected ones included. */
  rowsRead: number;
  rejected: number;
  /** Detailed rejections, only while fewer than REJECTIONS_KEPT were sent. */
  rejections: Rejection[];
  bytesRead: number;
}
export interface EventBatch extends BatchCommon {
  kind: 'events';
  events: EventRow[];
  sessions: SessionPart[];
}
export interface SessionBatch extends BatchCommon {
  kind: 'sessions';
  sessions: SessionRow[];
}
export type Batch = EventBatch | SessionBatch;

interface PartState {
  part: SessionPart;
  times: number[];
}

export class Batcher {
  private events: EventRow[] = [];
  private parts = new Map<string, PartState>();
  private sessionRows: SessionRow[] = [];
  private rowsRead = 0;
  private rejected = 0;
  private rejections: Rejection[] = [];
  private rejectionsSent = 0;

  constructor(
    private readonly kind: ExportKind,
    private readonly mapper: RowMapper,
    private readonly size: number,
    /** JSON array rows are numbered by item, text rows by line. */
    private readonly unit: 'line' | 'item' = 'line',
  ) {}

  get full(): boolean {
    return this.events.length + this.sessionRows.length + this.rejected >= this.size;
  }

  get empty(): boolean {
    return this.rowsRead === 0;
  }

  reject(rejection: Rejection): void {
    this.rowsRead++;
    this.rejected++;
    if (this.rejectionsSent + this.rejections.length < REJECTIONS_KEPT) this.rejections.push(rejection);
  }

  /** Adds a chunk's rows; returns the batches it filled. */
  add(chunk: Chunk, bytesRead: number): Batch[] {
    const out: Batch[] = [];
    for (const rejection of chunk.rejections) this.reject(rejection);
    for (const row of chunk.rows) {
      if (this.kind === 'events') {
        const mapped = this.mapper.event(row);
        if (!mapped.ok) this.reject({ line: row.line, unit: this.unit, reason: mapped.reason, raw: excerpt(row.values) });
        else {
          this.rowsRead++;
          this.addEvent(mapped.value.event, mapped.value.anonymousId, mapped.value.clientId, mapped.value.attributes);
        }
      } else {
        const mapped = this.mapper.session(row);
        if (!mapped.ok) this.reject({ line: row.line, unit: this.unit, reason: mapped.reason, raw: excerpt(row.values) });
        else {
          this.rowsRead++;
          this.sessionRows.push(mapped.value);
        }
      }
      if (this.full) out.push(this.take(bytesRead));
    }
    return out;
  }

  private addEvent(event: EventRow, anonymousId: string | null, clientId: string | null, attributes: Attributes) {
    this.events.push(event);
    const time = event[2];
    const state = this.parts.get(event[1]);
    if (!state) {
      this.parts.set(event[1], { part: { sessionId: event[1], anonymousId, clientId, firstAt: time, attributes }, times: attributes.map(() => time) });
      return;
    }
    const { part, times } = state;
    if (time < part.firstAt) part.firstAt = time;
    part.anonymousId ??= anonymousId;
    part.clientId ??= clientId;
    for (let i = 0; i < ATTRIBUTES.length; i++) {
      const value = attributes[i];
      if (value !== null && (part.attributes[i] === null || time < times[i]!)) {
        part.attributes[i] = value;
        times[i] = time;
      }
    }
  }

  take(bytesRead: number): Batch {
    const common = { rowsRead: this.rowsRead, rejected: this.rejected, rejections: this.rejections, bytesRead };
    this.rejectionsSent += this.rejections.length;
    this.rowsRead = 0;
    this.rejected = 0;
    this.rejections = [];
    if (this.kind === 'sessions') {
      const sessions = this.sessionRows;
      this.sessionRows = [];
      return { kind: 'sessions', sessions, ...common };
    }
    const events = this.events;
    const sessions = [...this.parts.values()].map((s) => s.part);
    this.events = [];
    this.parts = new Map();
    return { kind: 'events', events, sessions, ...common };
  }
}

const excerpt = (values: Array<string | number | null | undefined>) =>
  values
    .map((v) => (v === null || v === undefined ? '' : String(v)))
    .join(',')
    .slice(0, 300);
