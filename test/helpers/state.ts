// Direct reads of the state tables of a test server, and small id/time helpers for webhook tests.
import crypto from 'node:crypto';
import { expect } from 'vitest';
import type { TestEvent } from './fixtures';
import type { TestServer } from './server';

export type Row = Record<string, unknown>;

/** A fresh Stripe-looking id, e.g. uid('pi') → pi_3f2a…. */
export const uid = (prefix: string) => `${prefix}_${crypto.randomBytes(8).toString('hex')}`;

/** An hour ago, fixed once: the same offset gives the same time however long a test takes. */
const BASE = Math.floor(Date.now() / 1000) - 3600;
/** Event `created` times an hour back, one second apart, so ordering is explicit. */
export const at = (offsetSeconds: number) => BASE + offsetSeconds;

export function reader(server: () => TestServer) {
  const sqlite = () => server().headless.engine.store.sqlite;
  return {
    row: (table: string, id: string) => sqlite().prepare(`SELECT * FROM ${table} WHERE id = ?`).get(id) as Row | undefined,
    rows: (query: string, ...params: unknown[]) => sqlite().prepare(query).all(...params) as Row[],
    one: (query: string, ...params: unknown[]) => sqlite().prepare(query).get(...params) as Row | undefined,
    /** Delivers and insists on 200. */
    async ok(event: TestEvent) {
      const res = await server().deliver(event);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res;
    },
    /** The newest delivery row of an event id. */
    delivery: (eventId: string) =>
      sqlite().prepare('SELECT * FROM deliveries WHERE event_id = ? ORDER BY id DESC LIMIT 1').get(eventId) as Row | undefined,
  };
}
