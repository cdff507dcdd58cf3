// Reports for the API, on the report worker thread (worker-entry.ts). One report runs at a
// time there; this thread only posts the request and waits. Where the worker cannot start,
// reports run here instead, as before: slower for webhooks during a rebuild, never wrong.
import type { Worker } from 'node:worker_threads';
import { NotFoundError, UserError } from '../errors';
import { startWorker, stopWorker, type WorkerEntry } from '../worker-threads';
import type { Reports } from './index';
import type { ReportFiles, ReportName, ReportReply, ReportRequest } from './worker-entry';

export const REPORT_WORKER: WorkerEntry = { dir: __dirname, source: 'worker-entry.ts', bundle: 'report-worker.js' };

export interface ReportRunner {
  run<R extends ReportName>(report: R, input: Parameters<Reports[R]>[0]): Promise<ReturnType<Reports[R]>>;
  close(): Promise<void>;
}

const errorOf = (reply: Extract<ReportReply, { ok: false }>) =>
  reply.kind === 'not_found' ? new NotFoundError(reply.message) : reply.kind === 'user' ? new UserError(reply.message) : new Error(reply.message);

/** `inProcess` gives the reports on this thread, for when the worker cannot start; `now` is the engine's clock. */
export function createReportRunner(files: ReportFiles, inProcess: () => Reports, now: () => number, entry: WorkerEntry = REPORT_WORKER): ReportRunner {
  let worker: Worker | null = null;
  let unavailable = false;
  let closed = false;
  let nextId = 1;
  const pending = new Map<number, (reply: ReportReply) => void>();

  const failAll = (message: string) => {
    for (const [id, answer] of pending) answer({ id, ok: false, kind: 'internal', message });
    pending.clear();
  };

  /** The running worker, started at first use and again after it stopped; null where it cannot start. */
  const ensureWorker = (): Worker | null => {
    if (worker || unavailable) return worker;
    try {
      worker = startWorker(entry, files);
    } catch {
      unavailable = true;
      return null;
    }
    const started = worker;
    started.unref();
    started.on('message', (reply: ReportReply) => {
      const answer = pending.get(reply.id);
      pending.delete(reply.id);
      if (pending.size === 0) started.unref();
      answer?.(reply);
    });
    started.on('error', (error: unknown) => failAll((error as Error | undefined)?.message || 'the report worker failed'));
    started.on('exit', () => {
      if (worker === started) worker = null;
      failAll('the report worker stopped');
    });
    return started;
  };

  return {
    run(report, input) {
      if (closed) return Promise.reject(new Error('Reports are closed'));
      const running = ensureWorker();
      if (!running) {
        const runHere = inProcess()[report] as (input: unknown) => ReturnType<Reports[typeof report]>;
        return Promise.resolve().then(() => runHere(input));
      }
      const id = nextId++;
      return new Promise((resolve, reject) => {
        // Referenced only while a report is out, so an idle worker never keeps the process alive.
        running.ref();
        pending.set(id, (reply) => (reply.ok ? resolve(reply.output as ReturnType<Reports[typeof report]>) : reject(errorOf(reply))));
        running.postMessage({ id, report, input, now: now() } satisfies ReportRequest);
      });
    },
    async close() {
      const running = worker;
      closed = true;
      if (running) await stopWorker(running);
    },
  };
}
