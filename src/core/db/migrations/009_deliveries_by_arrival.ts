// Delivery rows are numbered in arrival order, so retention by age finds the expired ones by
// walking ids from the oldest (see delivery-log.ts) instead of through an index on time, which
// cost a write with every delivery and served nothing else.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`DROP INDEX IF EXISTS deliveries_received`).execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Paylens migrations only move forward');
}
