// The report cache: the precomputed report tables, in their own file next to the database,
// on a connection of their own that attaches the database (as `data`) to read from.
// Why its own file: SQLite locks a whole file for writing, and a rebuild writes up to
// hundreds of thousands of rows. In the database file, a `paylens report` rebuilding held
// the write lock that long and `paylens serve` could not commit webhooks meanwhile. Here a
// rebuild locks only this file. Its transactions are deferred, so the attached database is
// only read (BEGIN IMMEDIATE would take the write lock of every attached file).
// The file only holds what can be rebuilt: one from another version, or one SQLite cannot
// read, is started over, and the reports rebuild what they need.
import fs from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { dimension } from '../../shared/api/reports';
import type { Database } from './schema';
import { createStore, type Store } from './store';

/** Bump when the tables below change: cache files of other versions are then started over. */
const CACHE_SCHEMA_VERSION = 2;

/** A column per report dimension: the values touchpoints copy from their session and payment. */
const DIMENSION_COLUMNS = dimension.options.map((name) => `${name} TEXT`).join(', ');

const SCHEMA = [
  // Which build each precomputed table holds: the source versions (data.report_state) it saw.
  `CREATE TABLE report_cache (key TEXT PRIMARY KEY, stripe_version INTEGER NOT NULL, sessions_version INTEGER NOT NULL, built_at INTEGER NOT NULL)`,
  // Succeeded payments (payment intents + invoices paid without one), with what reports join on.
  `CREATE TABLE report_payments (
    id TEXT PRIMARY KEY, kind TEXT NOT NULL, amount INTEGER NOT NULL, currency TEXT NOT NULL,
    paid_at INTEGER NOT NULL, customer_key TEXT, customer_kind TEXT, session_id TEXT, anonymous_id TEXT,
    visitor_id TEXT, session_known INTEGER NOT NULL, campaign TEXT, source TEXT, affiliate_id TEXT,
    refunded INTEGER NOT NULL, disputed INTEGER NOT NULL)`,
  `CREATE INDEX report_payments_paid ON report_payments(paid_at)`,
  `CREATE INDEX report_payments_session ON report_payments(session_id)`,
  // Sums per currency and 15-minute UTC bucket: every time zone's day starts on such a boundary.
  `CREATE TABLE report_revenue_rollup (
    currency TEXT NOT NULL, bucket INTEGER NOT NULL, gross INTEGER NOT NULL, payments INTEGER NOT NULL,
    refunded INTEGER NOT NULL, refunds INTEGER NOT NULL, disputed INTEGER NOT NULL, disputes INTEGER NOT NULL,
    PRIMARY KEY (bucket, currency)) WITHOUT ROWID`,
  // One row per payment and touchpoint for one model and lookback (model_key), weights and
  // money already split into whole units, dimension values copied from the session.
  `CREATE TABLE report_touches (
    model_key TEXT NOT NULL, payment_id TEXT NOT NULL, session_id TEXT, paid_at INTEGER NOT NULL,
    currency TEXT NOT NULL, weight_micro INTEGER NOT NULL, gross INTEGER NOT NULL, net INTEGER NOT NULL,
    reason TEXT, ${DIMENSION_COLUMNS})`,
  `CREATE INDEX report_touches_key ON report_touches(model_key, paid_at)`,
  // Sessions and distinct visitors per dimension value that started in one range (key): the
  // conversion report's denominators, which only an import changes.
  `CREATE TABLE report_session_counts (
    key TEXT NOT NULL, value TEXT NOT NULL, sessions INTEGER NOT NULL, visitors INTEGER NOT NULL,
    PRIMARY KEY (key, value)) WITHOUT ROWID`,
];

/**
 * How long a rebuild waits for one that another process is running: on a large store that
 * takes seconds, and waiting beats failing (the cache is then fresh). Reports wait on their
 * own thread or in the CLI, never on the thread that serves webhooks.
 */
export const REPORT_BUSY_TIMEOUT_MS = 60_000;

/** SQLite's answers for a file that is not a database it can read. */
const UNREADABLE = new Set(['SQLITE_NOTADB', 'SQLITE_CORRUPT']);

export function openReportStore(cacheFile: string, databaseFile: string, busyTimeoutMs = REPORT_BUSY_TIMEOUT_MS): Store {
  let sqlite: BetterSqlite3.Database;
  try {
    sqlite = openCache(cacheFile, busyTimeoutMs);
  } catch (error) {
    if (!UNREADABLE.has(String((error as { code?: unknown }).code))) throw error;
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${cacheFile}${suffix}`, { force: true });
    sqlite = openCache(cacheFile, busyTimeoutMs);
  }
  sqlite.prepare('ATTACH DATABASE ? AS data').run(databaseFile);
  return createStore(cacheFile, sqlite, new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) }));
}

function openCache(file: string, busyTimeoutMs: number): BetterSqlite3.Database {
  const sqlite = new BetterSqlite3(file);
  try {
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma(`busy_timeout = ${Math.max(0, Math.trunc(busyTimeoutMs))}`);
    // A power loss may lose the last rebuild, which is simply done again.
    sqlite.pragma('synchronous = NORMAL');
    const current = () => sqlite.pragma('user_version', { simple: true }) === CACHE_SCHEMA_VERSION;
    if (current()) return sqlite;
    // Immediate: two processes opening a new cache file create its tables once.
    sqlite
      .transaction(() => {
        if (current()) return;
        const tables = sqlite.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).pluck().all() as string[];
        for (const table of tables) sqlite.exec(`DROP TABLE "${table}"`);
        for (const statement of SCHEMA) sqlite.exec(statement);
        sqlite.pragma(`user_version = ${CACHE_SCHEMA_VERSION}`);
      })
      .immediate();
    return sqlite;
  } catch (error) {
    sqlite.close();
    throw error;
  }
}
