// The report worker thread: runs the reports the API asks for on its own connection to the
// report cache, so a rebuild of precomputed tables (seconds on a large store) never stops the
// thread that receives webhooks and answers the app.
import { parentPort, workerData } from 'node:worker_threads';
import { openReportStore } from '../db/report-store';
import type { Store } from '../db/store';
import { createReports, type Reports } from './index';
import { READY, type ReportFiles, type ReportReply, type ReportRequest, runReport } from './report-protocol';

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
      reply = runReport(reports, message.id, message.report, message.input);
    } catch (error) {
      reply = { id: message.id, ok: false, kind: 'internal', message: (error as Error).message };
    }
    port.postMessage(reply);
  });
  port.postMessage(READY);
}
