// Reports for the API, on the report worker thread (worker-entry.ts). One report runs at a
// time there; this thread only posts the request and waits. Where the worker cannot start or
// load (a missing bundle, a native module it cannot open), reports run here instead, as
// before: slower for webhooks during a rebuild, never wrong.
import type { Worker } from 'node:worker_threads';
import { startWorker, stopWorker, type WorkerEntry } from '../worker-threads';
import type { Reports } from './index';
import { READY, type ReportFiles, type ReportName, type ReportReply, type ReportRequest, replyError, runReport } from './report-protocol';

export const REPORT_WORKER: WorkerEntry = { dir: __dirname, source: 'worker-entry.ts', bundle: 'report-worker.js' };

export interface ReportRunner {
  run<R extends ReportName>(report: R, input: Parameters<Reports[R]>[0]): Promise<ReturnType<Reports[R]>>;
  close(): Promise<void>;
}

/** `inProcess` gives the reports on this thread, for when the worker cannot start; `now` is the engine's clock. */
export function createReportRunner(files: ReportFiles, inProcess: () => Reports, now: () => number, entry: WorkerEntry = REPORT_WORKER): ReportRunner {
  let worker: Worker | null = null;
  let unavailable = false;
  let closed = false;
  let nextId = 1;
  interface Pending {
    report: ReportName;
    input: unknown;
    answer: (reply: ReportReply) => void;
  }
  const pending = new Map<number, Pending>();

  const runHere = (request: Pending, id: number) => request.answer(runReport(inProcess(), id, request.report, request.input));

  /** The worker stopped: before it was ready, it cannot run here, so reports run on this thread from now on. */
  const stopped = (ready: boolean, message: string) => {
    if (!ready) unavailable = true;
    const waiting = [...pending];
    pending.clear();
    for (const [id, request] of waiting) {
      if (ready) request.answer({ id, ok: false, kind: 'internal', message });
      else runHere(request, id);
    }
  };

  /** The running worker, started at first use and again after it stopped; null where it cannot run. */
  const ensureWorker = (): Worker | null => {
    if (worker || unavailable) return worker;
    let started: Worker;
    try {
      started = startWorker(entry, files);
    } catch {
      unavailable = true;
      return null;
    }
    worker = started;
    let ready = false;
    started.unref();
    started.on('message', (reply: ReportReply | typeof READY) => {
      if (reply === READY) return void (ready = true);
      const request = pending.get(reply.id);
      pending.delete(reply.id);
      if (pending.size === 0) started.unref();
      request?.answer(reply);
    });
    let failure = 'the report worker stopped';
    started.on('error', (error: unknown) => (failure = (error as Error | undefined)?.message || 'the report worker failed'));
    started.on('exit', () => {
      if (worker === started) worker = null;
      stopped(ready, failure);
    });
    return started;
  };

  return {
    run(report, input) {
      if (closed) return Promise.reject(new Error('Reports are closed'));
      type Output = ReturnType<Reports[typeof report]>;
      return new Promise<Output>((resolve, reject) => {
        const id = nextId++;
        const request: Pending = { report, input, answer: (reply) => (reply.ok ? resolve(reply.output as Output) : reject(replyError(reply))) };
        const running = ensureWorker();
        if (!running) return runHere(request, id);
        // Referenced only while a report is out, so an idle worker never keeps the process alive.
        running.ref();
        pending.set(id, request);
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
