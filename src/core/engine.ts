// The composition root: builds the engine from a data folder. Electron, the headless
// server and the CLI all start here.
import { databaseFile, reportCacheFile } from './config/data-dir';
import { createSecretBox } from './config/secrets';
import { createSettings } from './config/settings';
import { createGroupCommitter } from './db/group-commit';
import { openReportStore } from './db/report-store';
import { openStore, type OpenStoreOptions, type Store } from './db/store';
import { createPayments } from './payments';
import { createPushBus } from './push-bus';
import { createReports, type Reports } from './reports/index';
import { createReportRunner } from './reports/report-worker';
import { createApplier } from './webhooks/apply';
import { createDeliveryLog } from './webhooks/delivery-log';
import { createEndpoints } from './webhooks/endpoints';
import { createReceiver } from './webhooks/receiver';
import { createImportRecords } from './sessions/records';

export interface EngineOptions extends OpenStoreOptions {
  dataDir: string;
  now?: () => number;
}

export async function createEngine(options: EngineOptions) {
  const now = options.now ?? Date.now;
  // NORMAL: the group committer itself flushes the WAL before acknowledging a delivery.
  const store = await openStore(databaseFile(options.dataDir), { synchronous: 'NORMAL', ...options });
  if (!options.readonly) createImportRecords(store).closeInterrupted(now());
  const secrets = createSecretBox(options.dataDir);
  const bus = createPushBus();
  const settings = createSettings(store);
  const endpoints = createEndpoints(store, secrets, now);
  const deliveries = createDeliveryLog(store);
  const commits = createGroupCommitter(store);
  const receiver = createReceiver({
    store,
    commits,
    endpoints,
    log: deliveries,
    applier: createApplier(store),
    onDelivery: (delivery) => bus.emit('delivery', delivery),
    now,
  });
  const reportFiles = { cacheFile: reportCacheFile(options.dataDir), databaseFile: databaseFile(options.dataDir), busyTimeoutMs: options.busyTimeoutMs };
  let reportStore: Store | undefined;
  let reports: Reports | undefined;
  /** The reports on this thread, on their own connection to the report cache, opened at first use. */
  const reportsHere = (): Reports => {
    reportStore ??= openReportStore(reportFiles.cacheFile, reportFiles.databaseFile, reportFiles.busyTimeoutMs);
    return (reports ??= createReports(reportStore, now));
  };
  const reportRunner = createReportRunner(reportFiles, reportsHere, now);

  return {
    dataDir: options.dataDir,
    store,
    bus,
    settings,
    endpoints,
    deliveries,
    payments: createPayments(store),
    receiver,
    commits,
    now,
    /** Reports on this thread (the CLI, which serves nothing meanwhile). */
    get reports(): Reports {
      return reportsHere();
    },
    /** Reports on the report worker thread (the API: webhooks keep being answered meanwhile). */
    reportRunner,
    /** Applies the delivery-log retention settings; returns rows removed. */
    pruneDeliveries(): number {
      return deliveries.prune({ days: settings.get('deliveries.retentionDays'), maxRows: settings.get('deliveries.maxRows') }, now());
    },
    async close() {
      await commits.drain();
      await commits.close();
      await reportRunner.close();
      reportStore?.close();
      store.close();
    },
  };
}

export type Engine = Awaited<ReturnType<typeof createEngine>>;
