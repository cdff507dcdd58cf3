// Attribution finds each payment's touchpoints among its visitor's sessions by
// (anonymous_id, started_at) and needs their session ids: with the id in the index, that
// lookup reads only the index (half the time on a store of a million sessions).
import { type Kysely, sql } from 'kysely';

const statements = [
  `DROP INDEX IF EXISTS analytics_sessions_visitor`,
  `CREATE INDEX analytics_sessions_visitor ON analytics_sessions(anonymous_id, started_at, session_id)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Paylens migrations only move forward');
}
