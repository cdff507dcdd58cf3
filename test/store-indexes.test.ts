// Every index is written on every delivery, so the store keeps only those a query needs,
// and the queries that need them still find them.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../src/core/db/store';
import { PAYMENTS } from '../src/core/payments';
import { tempDir } from './helpers/server';

let store: Store;
beforeAll(async () => {
  store = await openStore(`${tempDir('paylens-indexes-')}/paylens.db`);
});
afterAll(() => store?.close());

const plan = (query: { sql: string; parameters: readonly unknown[] }) =>
  (store.sqlite.prepare(`EXPLAIN QUERY PLAN ${query.sql}`).all(...query.parameters) as Array<{ detail: string }>).map((row) => row.detail);

describe('payment intent indexes', () => {
  it('are the id and the invoice, the latter only for payment intents that have one', () => {
    const indexes = store.sqlite
      .prepare(`SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'payment_intents' ORDER BY name`)
      .all() as Array<{ name: string; sql: string | null }>;
    expect(indexes.map((index) => index.name)).toEqual(['payment_intents_invoice', 'sqlite_autoindex_payment_intents_1']);
    expect(indexes[0]!.sql).toMatch(/WHERE invoice IS NOT NULL$/);
  });

  it('still let the payment list tell an invoice paid through a payment intent from one paid without, by index', () => {
    const detail = plan(sql`SELECT count(*) FROM (${PAYMENTS})`.compile(store.db));
    expect(detail).toContainEqual(expect.stringMatching(/SEARCH p USING COVERING INDEX payment_intents_invoice \(invoice=\?\)/));
  });
});
