// Imports one analytics export: recognise it (nothing written if that fails), record the
// import, let the worker thread read and batch the file, write each batch here in one
// transaction between the engine's other work, and close the record.
import { importStartInput, type ImportProgress, type ImportRecord } from '../../shared/api/imports';
import type { Engine } from '../engine';
import { UserError } from '../errors';
import type { Batch } from './batch';
import { detect } from './detect';
import { createImportRecords } from './records';
import { isValidZone } from './time';
import type { WorkerMessage } from './worker-entry';
import { startImportWorker } from './worker';
import { createBatchWriter } from './writer';

export interface ImportOptions {
  path: string;
  format?: string;
  map?: Record<string, string>;
  tz?: string;
  signal?: AbortSignal;
  onProgress?: (progress: ImportProgress) => void;
  /** Called once the file is recognised and its import record exists. */
  onStart?: (record: ImportRecord) => void;
  /** Rows per transaction. */
  batchRows?: number;
}

export interface ImportSummary {
  id: number;
  fileName: string;
  format: string;
  status: ImportRecord['status'];
  error: string | null;
  rowsRead: number;
  imported: number;
  duplicates: number;
  rejected: number;
  sessions: number;
  visitors: number;
  seconds: number;
  rowsPerSecond: number;
}

// ~10 ms of writing per batch at full speed: webhook deliveries wait for at most a few of them.
const DEFAULT_BATCH_ROWS = 2000;
const PROGRESS_EVERY_MS = 200;

export async function runImport(engine: Engine, options: ImportOptions): Promise<ImportSummary> {
  const parsed = importStartInput.safeParse({ path: options.path, format: options.format, map: options.map, tz: options.tz });
  if (!parsed.success) throw new UserError(parsed.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; '));
  const input = parsed.data;
  const tz = input.tz ?? 'UTC';
  if (!isValidZone(tz)) throw new UserError(`Unknown time zone "${tz}": use an IANA name such as Europe/Berlin or UTC`);
  if (options.signal?.aborted) throw new UserError('Import cancelled before it started');

  const plan = await detect(input.path, { format: input.format, map: input.map });
  const records = createImportRecords(engine.store);
  const started = Date.now();
  const record = records.create(plan, engine.now());
  const writer = createBatchWriter(engine.store, record.id);
  const totals = { rowsRead: 0, imported: 0, duplicates: 0, rejected: 0, bytesRead: 0 };

  const progress = (status: ImportRecord['status']): ImportProgress => {
    const seconds = Math.max((Date.now() - started) / 1000, 0.001);
    const bytesPerSecond = totals.bytesRead / seconds;
    const left = Math.max(plan.bytesTotal - totals.bytesRead, 0);
    return {
      id: record.id,
      fileName: plan.fileName,
      status,
      bytesRead: totals.bytesRead,
      bytesTotal: plan.bytesTotal,
      rowsRead: totals.rowsRead,
      imported: totals.imported,
      duplicates: totals.duplicates,
      rejected: totals.rejected,
      rowsPerSecond: Math.round(totals.rowsRead / seconds),
      etaSeconds: status !== 'running' ? 0 : bytesPerSecond > 0 ? Math.round(left / bytesPerSecond) : null,
    };
  };
  const report = (status: ImportRecord['status']) => {
    const p = progress(status);
    options.onProgress?.(p);
    engine.bus.emit('import.progress', p);
  };
  options.onStart?.(record);
  report('running');

  const outcome = await new Promise<{ status: ImportRecord['status']; error: string | null }>((resolve) => {
    let settled = false;
    let lastReport = 0;
    const worker = startImportWorker({ plan, tz, batchRows: options.batchRows ?? DEFAULT_BATCH_ROWS });
    const settle = (status: ImportRecord['status'], error: string | null) => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', cancel);
      void worker.terminate();
      resolve({ status, error });
    };
    const cancel = () => settle('cancelled', null);
    options.signal?.addEventListener('abort', cancel, { once: true });

    // Batches are written one per turn of the event loop, so webhook deliveries get in between.
    const queue: Batch[] = [];
    let finished = false;
    let pumping = false;
    const finish = () => {
      totals.bytesRead = plan.bytesTotal;
      if (totals.imported + totals.duplicates > 0) settle('completed', null);
      else settle('failed', totals.rowsRead === 0 ? 'The file has no rows' : `None of the ${totals.rowsRead} rows could be imported`);
    };
    const pump = () => {
      pumping = false;
      const batch = queue.shift();
      if (settled) return;
      if (!batch) return finished ? finish() : undefined;
      try {
        const result = writer.write(batch);
        totals.rowsRead += result.rowsRead;
        totals.imported += result.imported;
        totals.duplicates += result.duplicates;
        totals.rejected += result.rejected;
        totals.bytesRead = batch.bytesRead;
      } catch (error) {
        return settle('failed', `Writing rows failed: ${(error as Error).message}`);
      }
      worker.postMessage({ type: 'ack' });
      if (Date.now() - lastReport >= PROGRESS_EVERY_MS) {
        lastReport = Date.now();
        report('running');
      }
      schedule();
    };
    const schedule = () => {
      if (pumping || (queue.length === 0 && !finished)) return;
      pumping = true;
      setImmediate(pump);
    };
    worker.on('message', (message: WorkerMessage) => {
      if (settled) return;
      if (message.type === 'batch') queue.push(message.batch);
      else if (message.type === 'done') finished = true;
      else return settle('failed', message.message);
      schedule();
    });
    worker.on('error', (error) => settle('failed', `The import stopped: ${error.message}`));
    worker.on('exit', (code) => settle('failed', `The import worker stopped unexpectedly (exit code ${code})`));
  });

  const closed = records.finish(record.id, outcome.status, outcome.error, engine.now());
  report(outcome.status);
  const seconds = (Date.now() - started) / 1000;
  return {
    id: closed.id,
    fileName: closed.fileName,
    format: closed.format,
    status: closed.status,
    error: closed.error,
    rowsRead: closed.rowsRead,
    imported: closed.imported,
    duplicates: closed.duplicates,
    rejected: closed.rejected,
    sessions: closed.sessions,
    visitors: closed.visitors,
    seconds: Math.round(seconds * 1000) / 1000,
    rowsPerSecond: Math.round(closed.rowsRead / Math.max(seconds, 0.001)),
  };
}
