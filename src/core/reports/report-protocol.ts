// What the engine and the report worker thread say to each other (report-worker.ts, worker-entry.ts).
import { NotFoundError, UserError } from '../errors';
import type { Reports } from './index';

export interface ReportFiles {
  cacheFile: string;
  databaseFile: string;
  busyTimeoutMs?: number;
}
export type ReportName = keyof Reports;
export interface ReportRequest {
  id: number;
  report: ReportName;
  input: unknown;
  /** The engine's clock (epoch ms) when asked: default ranges end on its day. */
  now: number;
}
type ErrorKind = 'not_found' | 'user' | 'internal';
export type ReportReply = { id: number; ok: true; output: unknown } | { id: number; ok: false; kind: ErrorKind; message: string };
/** Posted once the worker has loaded everything it runs (SQLite's native module included). */
export const READY = 'ready';

/** Runs one report and says how it went, errors included (they cross threads as plain data). */
export function runReport(reports: Reports, id: number, report: ReportName, input: unknown): ReportReply {
  try {
    const run = reports[report] as (input: unknown) => unknown;
    return { id, ok: true, output: run(input) };
  } catch (error) {
    const kind: ErrorKind = error instanceof NotFoundError ? 'not_found' : error instanceof UserError ? 'user' : 'internal';
    return { id, ok: false, kind, message: (error as Error).message };
  }
}

/** The error a failed reply stands for, of the class the API answers 404 or 400 for. */
export const replyError = (reply: Extract<ReportReply, { ok: false }>) =>
  reply.kind === 'not_found' ? new NotFoundError(reply.message) : reply.kind === 'user' ? new UserError(reply.message) : new Error(reply.message);
