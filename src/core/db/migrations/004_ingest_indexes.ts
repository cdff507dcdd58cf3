// Every index is written on every delivery: keep only those a query uses. Nothing looks
// deliveries up by event id or events up by type, so those two indexes only cost writes.
import { type Kysely, sql } from 'kysely';

const statements = [`DROP INDEX IF EXISTS deliveries_event`, `DROP INDEX IF EXISTS events_type_created`];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Paylens migrations only move forward');
}
