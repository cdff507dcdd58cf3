// Which process runs an import: an import whose process has ended (crashed, killed) is marked
// failed at the next start instead of staying "running" for ever.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw('ALTER TABLE imports ADD COLUMN pid INTEGER').execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Paylens migrations only move forward');
}
