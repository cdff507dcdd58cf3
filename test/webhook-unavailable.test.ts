// The database really unavailable: another connection holds the write lock, so the receiver's
// write fails with SQLITE_BUSY. Stripe must get a 503 (and retry); nothing may be half stored.
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, makeEvent, sign, TEST_SECRET } from './helpers/fixtures';
import { startTestServer, type TestServer } from './helpers/server';
import { reader, uid } from './helpers/state';

let server: TestServer;
let blocker: BetterSqlite3.Database;
beforeAll(async () => {
  server = await startTestServer({ busyTimeoutMs: 50 });
  blocker = new BetterSqlite3(server.headless.engine.store.file);
  blocker.pragma('busy_timeout = 0');
});
afterAll(async () => {
  if (blocker?.inTransaction) blocker.exec('ROLLBACK');
  blocker?.close();
  await server?.close();
});
const { row, rows, one } = reader(() => server);

describe('database unavailable', () => {
  it('answers 503 while another connection holds the write lock, stores nothing, and stores the retry once', async () => {
    const id = uid('pi');
    const event = makeEvent('payment_intent.succeeded', fixture('payment_intent', { id, status: 'succeeded', amount_received: 1099, metadata: { client_id: 'c', session_id: 's' } }));
    const before = one('SELECT count(*) n FROM deliveries')!.n as number;
    const pushed: number[] = [];
    const off = server.headless.engine.bus.on('delivery', (d) => pushed.push(d.status));

    blocker.exec('BEGIN IMMEDIATE');
    const refused = await server.deliver(event);
    expect(refused).toEqual({ status: 503, body: { error: 'Temporarily unavailable (Stripe retries)' } });
    // A delivery refused for another reason while the lock is held is answered as usual.
    const badSignature = await server.post(JSON.stringify(event), { 'stripe-signature': sign(JSON.stringify(event), 'whsec_wrong_secret_0000000000') });
    expect(badSignature.status).toBe(400);
    expect(one('SELECT count(*) n FROM events WHERE id = ?', event.id)).toEqual({ n: 0 });
    expect(row('payment_intents', id)).toBeUndefined();
    expect(one('SELECT count(*) n FROM deliveries')!.n).toBe(before);
    blocker.exec('ROLLBACK');

    const retried = await server.deliver(event);
    expect(retried).toEqual({ status: 200, body: { received: true, id: event.id, type: event.type, duplicate: false } });
    expect(one('SELECT count(*) n FROM events WHERE id = ?', event.id)).toEqual({ n: 1 });
    expect(row('payment_intents', id)).toMatchObject({ status: 'succeeded', amount_received: 1099 });

    // The 503 and the refused signature, kept in memory while the database was locked, were written with the retry.
    const logged = rows('SELECT status, outcome, result, event_id, body FROM deliveries WHERE id > (SELECT max(id) FROM deliveries) - 3 ORDER BY id');
    expect(logged.map((d) => d.status)).toEqual([503, 400, 200]);
    expect(logged[0]).toMatchObject({ outcome: 'error', event_id: event.id });
    expect(logged[0]!.result).toMatch(/^Temporarily unavailable: .*(locked|busy)/i);
    // A failed delivery keeps its body so it can be inspected and replayed.
    expect(logged[0]!.body).toBe(JSON.stringify(event));
    expect(logged[1]).toMatchObject({ result: 'Invalid signature: signature does not match' });
    expect(pushed).toEqual([503, 400, 200]);
    off();
  });

  it('fails a batch of deliveries held up by the lock after one busy wait, not one wait each', async () => {
    const events = Array.from({ length: 8 }, () => makeEvent('payment_intent.created', fixture('payment_intent', { id: uid('pi'), metadata: { client_id: 'c' } })));
    const handle = (event: (typeof events)[number]) => {
      const payload = JSON.stringify(event);
      return server.headless.engine.receiver.handle({
        method: 'POST', path: server.path, body: Buffer.from(payload), bodyTooLarge: false, remoteAddress: '127.0.0.1', receivedAt: Date.now(),
        headers: { 'stripe-signature': sign(payload, TEST_SECRET) },
      });
    };
    server.headless.engine.store.setBusyTimeout(400);
    blocker.exec('BEGIN IMMEDIATE');
    const started = performance.now();
    // Submitted in the same turn: one group-commit batch.
    const answers = await Promise.all(events.map(handle));
    const elapsed = performance.now() - started;
    blocker.exec('ROLLBACK');
    server.headless.engine.store.setBusyTimeout(50);
    expect(answers.map((a) => a.status)).toEqual(events.map(() => 503));
    // One busy wait for the batch; a wait per delivery (and again on the redo) would take 6.4 s.
    expect(elapsed).toBeLessThan(1500);
    for (const e of events) expect((await server.deliver(e)).body).toMatchObject({ duplicate: false });
    expect(rows('SELECT status FROM deliveries WHERE event_id = ? ORDER BY id', events[0]!.id).map((r) => r.status)).toEqual([503, 200]);
  });

  it('keeps answering while another connection holds the write lock, and stores the delivery once it is released', async () => {
    const id = uid('pi');
    const event = makeEvent('payment_intent.succeeded', fixture('payment_intent', { id, status: 'succeeded', amount_received: 2500, metadata: { client_id: 'c', session_id: 's' } }));
    server.headless.engine.store.setBusyTimeout(5000);
    blocker.exec('BEGIN IMMEDIATE');
    let settled = false;
    const delivery = server.deliver(event).finally(() => {
      settled = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    // The delivery waits for the lock on a timer; the listener still answers meanwhile.
    const started = performance.now();
    const health = await fetch(`${server.headless.webhook.url}/health`);
    const healthMs = performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 200));
    const pendingWhileLocked = !settled;
    blocker.exec('ROLLBACK');
    const answer = await delivery;
    server.headless.engine.store.setBusyTimeout(50);

    expect(health.status).toBe(200);
    expect(healthMs).toBeLessThan(250);
    expect(pendingWhileLocked).toBe(true);
    expect(answer).toEqual({ status: 200, body: { received: true, id: event.id, type: event.type, duplicate: false } });
    expect(row('payment_intents', id)).toMatchObject({ status: 'succeeded', amount_received: 2500 });
  });
});
