import { type Kysely, sql } from 'kysely';

const statements = [
  `CREATE TABLE imports (
    id INTEGER PRIMARY KEY AUTOINCREMENT, file_name TEXT NOT NULL, file_path TEXT NOT NULL,
    format TEXT NOT NULL, size INTEGER NOT NULL,
    rows_read INTEGER NOT NULL DEFAULT 0, imported INTEGER NOT NULL DEFAULT 0,
    duplicates INTEGER NOT NULL DEFAULT 0, rejected INTEGER NOT NULL DEFAULT 0,
    sessions INTEGER NOT NULL DEFAULT 0, visitors INTEGER NOT NULL DEFAULT 0,
    started_at INTEGER NOT NULL, finished_at INTEGER,
    status TEXT NOT NULL CHECK (status IN ('running','completed','cancelled','failed')), error TEXT)`,
  `CREATE INDEX imports_started ON imports(started_at)`,
  `CREATE TABLE import_rejections (
    id INTEGER PRIMARY KEY, import_id INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
    line INTEGER NOT NULL, unit TEXT NOT NULL DEFAULT 'line', reason TEXT NOT NULL, raw TEXT NOT NULL)`,
  `CREATE INDEX import_rejections_import ON import_rejections(import_id, line)`,
  // Times of the pageviews that gave landing/exit path, so a later overlapping export can replace them exactly.
  `ALTER TABLE analytics_sessions ADD COLUMN landing_at INTEGER`,
  `ALTER TABLE analytics_sessions ADD COLUMN exit_at INTEGER`,
  `ALTER TABLE analytics_sessions ADD COLUMN last_import_id INTEGER`,
  `ALTER TABLE analytics_sessions ADD COLUMN duration_ms INTEGER GENERATED ALWAYS AS (ended_at - started_at) VIRTUAL`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Paylens migrations only move forward');
}
