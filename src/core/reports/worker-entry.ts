// The report worker thread: runs the reports the API asks for on its own connection to the
// report cache, so a rebuild of precomputed tables (seconds on a large store) never stops the
// thread that receives webhooks and answers the app.
import { parentPort, workerData } from 'node:worker_threads';
import { openReportStore } from '../db/report-store';
import type { Store } from '../db/store';
import { NotFoundError, UserError } from '../errors';
import { createReports, type Reports } from './index';

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
export type ReportReply =
  | { id: number; ok: true; output: unknown }
  | { id: number; ok: false; kind: 'not_found' | 'user' | 'internal'; message: string };

const kindOf = (error: unknown) => (error instanceof NotFoundError ? 'not_found' : error instanceof UserError ? 'user' : 'internal');

if (parentPort) {
  const port = parentPort;
  const files = workerData as ReportFiles;
  // Opened by the first report, so a failure to open is that report's answer.
  let store: Store | undefined;
  let reports: Reports | undefined;
  let askedAt = Date.now();
  port.on('message', (message: ReportRequest | 'close') => {
    if (message === 'close') {
      store?.close();
      port.close();
      return;
    }
    let reply: ReportReply;
    try {
      store ??= openReportStore(files.cacheFile, files.databaseFile, files.busyTimeoutMs);
      askedAt = message.now;
      reports ??= createReports(store, () => askedAt);
      const run = reports[message.report] as (input: unknown) => unknown;
      reply = { id: message.id, ok: true, output: run(message.input) };
    } catch (error) {
      reply = { id: message.id, ok: false, kind: kindOf(error), message: (error as Error).message };
    }
    port.postMessage(reply);
  });
}
