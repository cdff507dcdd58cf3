// Import records: one row per import with its counts and status, and its first rejections.
import { sql } from 'kysely';
import type { ImportDetail, ImportRecord } from '../../shared/api/imports';
import type { Store } from '../db/store';
import type { ImportTable } from '../db/schema';
import { NotFoundError } from '../errors';
import type { ImportPlan } from './detect';

type Row = Omit<ImportTable, 'id'> & { id: number };

export const INTERRUPTED = 'Interrupted: the Paylens process running this import stopped before it finished; the rows it had stored are kept, and importing the file again adds the rest';

/** Whether a process with this id runs on this machine (a signal 0 only checks). */
function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const toRecord = (r: Row): ImportRecord => ({
  id: r.id,
  fileName: r.file_name,
  filePath: r.file_path,
  format: r.format,
  size: r.size,
  rowsRead: r.rows_read,
  imported: r.imported,
  duplicates: r.duplicates,
  rejected: r.rejected,
  sessions: r.sessions,
  visitors: r.visitors,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  status: r.status,
  error: r.error,
});

export function createImportRecords(store: Store) {
  const { db } = store;
  const get = (id: number): ImportRecord => {
    const row = store.first(db.selectFrom('imports').selectAll().where('id', '=', id));
    if (!row) throw new NotFoundError(`No import with id ${id}`);
    return toRecord(row);
  };
  /** Closes the record; sessions and visitors are those this import created or changed. */
  const finish = (id: number, status: ImportRecord['status'], error: string | null, now: number): ImportRecord => {
    // IMMEDIATE: it reads then writes, and another connection may commit in between (SQLITE_BUSY_SNAPSHOT).
    store.sqlite.transaction(() => {
      const counts = store.first(
        sql<{ sessions: number; visitors: number }>`SELECT count(*) AS sessions, count(DISTINCT anonymous_id) AS visitors FROM analytics_sessions WHERE last_import_id = ${id}`,
      );
      store.run(db.updateTable('imports').set({ status, error, finished_at: now, sessions: counts?.sessions ?? 0, visitors: counts?.visitors ?? 0 }).where('id', '=', id));
    }).immediate();
    return get(id);
  };
  return {
    get,
    create(plan: ImportPlan, now: number): ImportRecord {
      const { lastInsertRowid } = store.run(
        db.insertInto('imports').values({ file_name: plan.fileName, file_path: plan.path, format: plan.format, size: plan.size, rows_read: 0, imported: 0, duplicates: 0, rejected: 0, sessions: 0, visitors: 0, started_at: now, status: 'running', pid: process.pid }),
      );
      return get(Number(lastInsertRowid));
    },
    finish,
    /** Marks failed the imports left "running" by a process that has ended; returns how many. */
    closeInterrupted(now: number): number {
      const running = store.all(db.selectFrom('imports').select(['id', 'pid']).where('status', '=', 'running'));
      const orphans = running.filter((row) => row.pid === null || !processIsAlive(row.pid));
      for (const { id } of orphans) finish(id, 'failed', INTERRUPTED, now);
      return orphans.length;
    },
    list(limit: number): ImportRecord[] {
      return store.all(db.selectFrom('imports').selectAll().orderBy('id', 'desc').limit(limit)).map(toRecord);
    },
    detail(id: number): ImportDetail {
      const record = get(id);
      const rejections = store.all(db.selectFrom('import_rejections').select(['line', 'unit', 'reason', 'raw']).where('import_id', '=', id).orderBy('id'));
      return { ...record, rejections };
    },
  };
}
export type ImportRecords = ReturnType<typeof createImportRecords>;
