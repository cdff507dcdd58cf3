// Precomputed report tables move to their own file (report-cache.db, see report-store.ts):
// rebuilding them then takes that file's write lock, not this one's, so a report built in
// another process no longer holds up webhook commits. report_state stays: the triggers
// that bump it fire inside this database's transactions.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const table of ['report_touches', 'report_revenue_rollup', 'report_payments', 'report_cache'])
    await sql.raw(`DROP TABLE IF EXISTS main.${table}`).execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Paylens migrations only move forward');
}
