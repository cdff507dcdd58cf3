// The store: one better-sqlite3 connection and a Kysely instance over it.
// Kysely builds typed queries; they run synchronously on better-sqlite3 so a whole
// delivery (or import batch) commits in one transaction with nothing interleaved.
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { type CompiledQuery, Kysely, Migrator, type MigrationProvider, SqliteDialect } from 'kysely';
import { migrations } from './migrations/index';
import type { Database } from './schema';

/** A Kysely query builder, a `sql` template, or an already compiled query. */
export type Query<R = unknown> = { compile(): CompiledQuery<R> } | { compile(executor: Kysely<Database>): CompiledQuery<R> } | CompiledQuery<R>;

export interface Store {
  readonly file: string;
  readonly sqlite: BetterSqlite3.Database;
  readonly db: Kysely<Database>;
  /** Run a write query; returns rows changed and the last inserted rowid. */
  run(query: Query): { changes: number; lastInsertRowid: number | bigint };
  /** Run a read query and return all rows. */
  all<R>(query: Query<R>): R[];
  /** Run a read query and return the first row, if any. */
  first<R>(query: Query<R>): R | undefined;
  /**
   * Hot paths: the SQL of `build()` depends only on `shape`, so Kysely compiles it once
   * and later calls run the same prepared statement with new `parameters` (in the order
   * the built query would bind them).
   */
  runShaped(shape: string, build: () => Query, parameters: unknown[]): { changes: number; lastInsertRowid: number | bigint };
  firstShaped<R>(shape: string, build: () => Query<R>, parameters: unknown[]): R | undefined;
  /**
   * Run `fn` in one transaction (nested calls become savepoints). `immediate` takes the write
   * lock at BEGIN, so a lock held elsewhere fails before any of `fn` runs.
   */
  tx<T>(fn: () => T, mode?: 'immediate'): T;
  /** How long a write waits for another connection's lock, in ms; change it only through setBusyTimeout. */
  busyTimeoutMs(): number;
  setBusyTimeout(ms: number): void;
  close(): void;
}

export interface OpenStoreOptions {
  /** `FULL` makes each commit durable across power loss; the receiver relies on it. */
  synchronous?: 'FULL' | 'NORMAL' | 'OFF';
  readonly?: boolean;
  /** How long a write waits for another connection's lock before failing (default 5000 ms). */
  busyTimeoutMs?: number;
}

const migrationProvider: MigrationProvider = { getMigrations: async () => migrations };

/** Why the database could not be brought up to date, in words a user can act on. */
function migrationFailure(name: string | undefined, error: unknown): string {
  const message = String((error as Error)?.message ?? error);
  // Kysely's words for a database that has migrations this build does not know.
  const newer = /previously executed migration (\S+) is missing/.exec(message);
  if (newer) return `This data folder was written by a newer version of Paylens (database change ${newer[1]}); open it with that version or a later one`;
  return name ? `Database migration ${name} failed: ${message}` : `Database migration failed: ${message}`;
}

export async function openStore(file: string, options: OpenStoreOptions = {}): Promise<Store> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new BetterSqlite3(file, { readonly: options.readonly ?? false });
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma(`busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5000))}`);
  sqlite.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  if (!options.readonly) {
    const { error, results } = await new Migrator({ db, provider: migrationProvider }).migrateToLatest();
    const failed = results?.find((r) => r.status === 'Error');
    if (error || failed) {
      await db.destroy();
      throw new Error(migrationFailure(failed?.migrationName, error));
    }
  }
  return createStore(file, sqlite, db);
}

/** A Store over an open connection (openStore opens and migrates the database first). */
export function createStore(file: string, sqlite: BetterSqlite3.Database, db: Kysely<Database>): Store {
  const statements = new Map<string, BetterSqlite3.Statement>();
  const prepare = (sql: string) => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = sqlite.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };
  const compile = (query: Query) => {
    // Query builders ignore the argument; `sql` templates need it to compile.
    const compiled = 'compile' in query ? (query.compile as (executor: Kysely<Database>) => CompiledQuery)(db) : query;
    return { statement: prepare(compiled.sql), parameters: compiled.parameters as unknown[] };
  };
  const shapes = new Map<string, BetterSqlite3.Statement>();
  const shaped = (shape: string, build: () => Query) => {
    let statement = shapes.get(shape);
    if (!statement) {
      statement = compile(build()).statement;
      shapes.set(shape, statement);
    }
    return statement;
  };
  let closed = false;
  // Kept here so the committer can read it per batch without a PRAGMA statement.
  let busyTimeout = Number(sqlite.pragma('busy_timeout', { simple: true }));
  return {
    file,
    sqlite,
    db,
    run(query) {
      const { statement, parameters } = compile(query);
      return statement.run(...parameters);
    },
    all<R>(query: Query<R>) {
      const { statement, parameters } = compile(query);
      return statement.all(...parameters) as R[];
    },
    first<R>(query: Query<R>) {
      const { statement, parameters } = compile(query);
      return statement.get(...parameters) as R | undefined;
    },
    runShaped(shape, build, parameters) {
      return shaped(shape, build).run(...parameters);
    },
    firstShaped<R>(shape: string, build: () => Query<R>, parameters: unknown[]) {
      return shaped(shape, build).get(...parameters) as R | undefined;
    },
    tx(fn, mode) {
      const transaction = sqlite.transaction(fn);
      return mode === 'immediate' ? transaction.immediate() : transaction();
    },
    busyTimeoutMs: () => busyTimeout,
    setBusyTimeout(ms) {
      busyTimeout = Math.max(0, Math.trunc(ms));
      sqlite.exec(`PRAGMA busy_timeout = ${busyTimeout}`);
    },
    close() {
      if (closed) return;
      closed = true;
      sqlite.close();
    },
  };
}
