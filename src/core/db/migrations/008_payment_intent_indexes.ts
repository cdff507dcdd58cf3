// Every index is written on every delivery: keep only those a query uses. No query looks
// payment intents up by success time or by analytics session (reports scan them and join
// sessions by their own key), and only the few paid through an invoice need the invoice
// index, which then skips every payment intent without one.
import { type Kysely, sql } from 'kysely';

const statements = [
  `DROP INDEX IF EXISTS payment_intents_succeeded`,
  `DROP INDEX IF EXISTS payment_intents_session`,
  `DROP INDEX IF EXISTS payment_intents_invoice`,
  `CREATE INDEX payment_intents_invoice ON payment_intents(invoice) WHERE invoice IS NOT NULL`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Paylens migrations only move forward');
}
