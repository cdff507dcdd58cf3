// API handlers for analytics imports. imports.start answers once the file is recognised;
// the import goes on in the background and reports through `import.progress` events.
import type { ImportRecord } from '../../shared/api/imports';
import type { Engine } from '../engine';
import { UserError } from '../errors';
import { runImport, type ImportSummary } from '../sessions/import';
import { createImportRecords } from '../sessions/records';
import type { HandlersFor } from './handlers';

type ImportMethod = 'imports.start' | 'imports.cancel' | 'imports.list' | 'imports.get';

export function createImportHandlers(engine: Engine): HandlersFor<ImportMethod> {
  const records = createImportRecords(engine.store);
  const running = new Map<number, { controller: AbortController; done: Promise<ImportSummary> }>();
  /** An import whose process ended while this one runs shows as failed from the next read on. */
  const current = () => {
    records.closeInterrupted(engine.now());
    return records;
  };
  return {
    'imports.start': (input) =>
      new Promise<ImportRecord>((resolve, reject) => {
        const controller = new AbortController();
        let id: number | undefined;
        const done = runImport(engine, {
          ...input,
          signal: controller.signal,
          onStart: (record) => {
            id = record.id;
            running.set(record.id, { controller, done });
            resolve(record);
          },
        });
        done.then(
          () => id !== undefined && running.delete(id),
          (error) => {
            if (id !== undefined) running.delete(id);
            reject(error);
          },
        );
      }),
    'imports.cancel': async ({ id }) => {
      const job = running.get(id);
      if (!job) {
        const record = current().get(id);
        if (record.status === 'running') throw new UserError(`Import ${id} runs in another Paylens process; stop it there`);
        throw new UserError(`Import ${id} is not running (${record.status})`);
      }
      job.controller.abort();
      await job.done;
      return records.get(id);
    },
    'imports.list': ({ limit }) => current().list(limit),
    'imports.get': ({ id }) => current().detail(id),
  };
}
