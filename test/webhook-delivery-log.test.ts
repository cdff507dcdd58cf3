// The delivery log (§6): what each row keeps, retention, replay and secret roll-over.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../src/core/engine';
import type { IncomingDelivery } from '../src/core/webhooks/receiver';
import type { DeliveryDetail, DeliverySummary } from '../src/shared/api/deliveries';
import type { EndpointView } from '../src/shared/api/endpoints';
import { fixture, makeEvent, sign, TEST_SECRET } from './helpers/fixtures';
import { startTestServer, tempDir, type TestServer } from './helpers/server';
import { reader, uid } from './helpers/state';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server?.close());
const { delivery } = reader(() => server);

const piEvent = (overrides: Record<string, unknown> = {}, options: { livemode?: boolean } = {}) =>
  makeEvent('payment_intent.succeeded', fixture('payment_intent', { id: uid('pi'), status: 'succeeded', metadata: { client_id: 'c1', session_id: 's1' }, ...overrides }), options);
const detail = (id: number) => server.api<DeliveryDetail>('deliveries.get', { id });
const latest = async () => (await server.api<DeliverySummary[]>('deliveries.list', { limit: 1 }))[0]!;

describe('what a delivery row keeps', () => {
  it('stores headers with the signature shortened, the remote address, method, path and a duration', async () => {
    const event = piEvent();
    const payload = JSON.stringify(event);
    const signature = sign(payload, TEST_SECRET);
    const res = await server.post(payload, { 'stripe-signature': signature, 'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)' });
    expect(res.status).toBe(200);
    const row = await detail(delivery(event.id)!.id as number);
    const v1 = /v1=([0-9a-f]+)/.exec(signature)![1]!;
    expect(row.headers['stripe-signature']).toBe(`t=${/t=(\d+)/.exec(signature)![1]},v1=${v1.slice(0, 8)}…`);
    expect(JSON.stringify(row)).not.toContain(v1);
    expect(row.headers['user-agent']).toMatch(/^Stripe\/1.0/);
    expect(row).toMatchObject({ method: 'POST', path: server.path, remoteAddress: '127.0.0.1', verification: 'verified', eventId: event.id, eventType: event.type, status: 200, outcome: 'stored', result: 'stored', endpointName: 'shop' });
    expect(row.durationMs).toBeGreaterThan(0);
    expect(row.durationMs).toBeLessThan(5000);
  });

  it('keeps the body of failed deliveries always, of accepted ones only while debug is on', async () => {
    const accepted = piEvent();
    await server.deliver(accepted);
    expect(await detail(delivery(accepted.id)!.id as number)).toMatchObject({ body: null, hasBody: false });

    const failed = piEvent({}, { livemode: true });
    expect((await server.deliver(failed)).status).toBe(400);
    const failedRow = await detail(delivery(failed.id)!.id as number);
    expect(failedRow).toMatchObject({ body: JSON.stringify(failed), hasBody: true, bodyTruncated: false, status: 400 });

    const endpoint = (await server.api<EndpointView[]>('endpoints.list'))[0]!;
    await server.api('endpoints.update', { ref: endpoint.id, debug: true });
    const debugged = piEvent();
    await server.deliver(debugged);
    expect(await detail(delivery(debugged.id)!.id as number)).toMatchObject({ body: JSON.stringify(debugged), hasBody: true });
    await server.api('endpoints.update', { ref: endpoint.id, debug: false });
  });

  it('caps a kept body at 256 KiB and says it was cut', async () => {
    const event = piEvent({ description: 'x'.repeat(300 * 1024) });
    const payload = JSON.stringify(event);
    const res = await server.post(payload, { 'stripe-signature': sign(payload, 'whsec_not_the_right_secret_00') });
    expect(res.status).toBe(400);
    const row = await detail((await latest()).id);
    expect(row).toMatchObject({ bodySize: Buffer.byteLength(payload), bodyTruncated: true, result: 'Invalid signature: signature does not match' });
    expect(Buffer.byteLength(row.body!)).toBe(256 * 1024);
    expect(payload.startsWith(row.body!)).toBe(true);
    // A cut body cannot be replayed.
    await expect(server.api('deliveries.replay', { id: row.id })).rejects.toThrow(/too large to keep in full/);
  });
});

describe('retention', () => {
  const day = 24 * 60 * 60 * 1000;
  const record = (receivedAt: number) => ({
    received_at: receivedAt, endpoint_id: null, endpoint_name: null, remote_address: '127.0.0.1', method: 'POST', path: '/stripe/webhook/x',
    headers: '{}', body: null, body_size: 0, body_truncated: 0, signature: null, verification: 'not_checked' as const, event_id: null, event_type: null,
    outcome: 'rejected' as const, result: 'Webhook endpoint not found', warnings: '[]', status: 404, duration_ms: 0.1, replay_of: null,
  });
  let engine: Engine;
  beforeAll(async () => {
    engine = await createEngine({ dataDir: tempDir('paylens-retention-') });
  });
  afterAll(async () => engine?.close());
  const insert = (...times: number[]) => engine.store.tx(() => times.map((time) => engine.deliveries.insert(record(time)).id));
  const ids = () => (engine.store.sqlite.prepare('SELECT id FROM deliveries ORDER BY id').all() as Array<{ id: number }>).map((r) => r.id);

  it('drops rows older than the retention days and beyond the row limit', () => {
    const [tenDays, threeDays] = insert(Date.now() - 10 * day, Date.now() - 3 * day);
    expect(engine.settings.get('deliveries.retentionDays')).toBe(30);
    expect(engine.pruneDeliveries()).toBe(0);
    engine.settings.set('deliveries.retentionDays', 5);
    expect(engine.pruneDeliveries()).toBe(1);
    expect(ids()).toEqual([threeDays]);
    expect(tenDays).toBeLessThan(threeDays!);

    insert(...Array.from({ length: 150 }, () => Date.now()));
    const newest = ids().at(-1)!;
    engine.settings.set('deliveries.maxRows', 100);
    expect(engine.pruneDeliveries()).toBe(51);
    expect(ids()).toEqual(Array.from({ length: 100 }, (_, i) => newest - 99 + i));
    expect(() => engine.settings.set('deliveries.maxRows', 5)).toThrow(/Invalid value for deliveries.maxRows/);
    engine.settings.set('deliveries.maxRows', 100_000);
    engine.settings.set('deliveries.retentionDays', 30);
  });

  it('drops a row written out of arrival order together with the rows before it, never a row still within the days', () => {
    engine.store.run(engine.store.db.deleteFrom('deliveries'));
    // Written late, after a newer row (it waited while the database was unavailable).
    const [fortyDays, twentyDays, late, today] = insert(Date.now() - 40 * day, Date.now() - 20 * day, Date.now() - 45 * day, Date.now());
    expect(engine.pruneDeliveries()).toBe(1);
    expect(ids()).toEqual([twentyDays, late, today]);
    engine.settings.set('deliveries.retentionDays', 10);
    expect(engine.pruneDeliveries()).toBe(2);
    expect(ids()).toEqual([today]);
    engine.settings.set('deliveries.retentionDays', 30);
    expect(fortyDays).toBeLessThan(twentyDays!);
  });

  it('finds the expired rows without an index on time, which every delivery would have to write', () => {
    const indexes = engine.store.sqlite.prepare(`SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'deliveries'`).all();
    expect(indexes).toEqual([]);
  });
});

describe('replay', () => {
  it('replays a delivery refused for its mode, after the endpoint is fixed, judging the signature by the original arrival', async () => {
    const endpoint = await server.api<EndpointView>('endpoints.create', { name: uid('live'), secret: TEST_SECRET, mode: 'live' });
    const event = piEvent();
    const payload = JSON.stringify(event);
    // It arrived an hour ago: replaying now must not fail the 300 s tolerance.
    const arrived = Date.now() - 3600_000;
    const answer = await server.headless.engine.receiver.handle({
      method: 'POST', path: endpoint.path, body: Buffer.from(payload), bodyTooLarge: false, remoteAddress: '203.0.113.9', receivedAt: arrived,
      headers: { 'content-type': 'application/json', 'stripe-signature': sign(payload, TEST_SECRET, Math.floor(arrived / 1000)) },
    });
    expect(answer).toEqual({ status: 400, body: { error: 'Live/test mode mismatch: endpoint is live, event is test' } });
    const refused = delivery(event.id)!;
    expect(refused).toMatchObject({ status: 400, received_at: arrived });

    // Replaying before the fix gives the same refusal, logged as a replay.
    const again = await server.api<DeliverySummary>('deliveries.replay', { id: refused.id });
    expect(again).toMatchObject({ status: 400, replayOf: refused.id, result: 'Live/test mode mismatch: endpoint is live, event is test' });

    await server.api('endpoints.update', { ref: endpoint.id, mode: 'test' });
    const replayed = await server.api<DeliverySummary>('deliveries.replay', { id: refused.id });
    expect(replayed).toMatchObject({ status: 200, outcome: 'stored', replayOf: refused.id, eventId: event.id, remoteAddress: 'replay', endpointId: endpoint.id });
    expect(server.headless.engine.store.sqlite.prepare('SELECT status FROM payment_intents WHERE id = ?').get(event.data.object.id)).toEqual({ status: 'succeeded' });
    // Replaying the stored one again is a duplicate: no second effect.
    expect(await server.api<DeliverySummary>('deliveries.replay', { id: refused.id })).toMatchObject({ status: 200, outcome: 'duplicate' });
  });

  it('gives a clear error for a delivery without a stored body, and 404 for an unknown one', async () => {
    const event = piEvent();
    await server.deliver(event);
    const id = delivery(event.id)!.id as number;
    await expect(server.api('deliveries.replay', { id })).rejects.toMatchObject({
      status: 400,
      message: expect.stringMatching(/^Delivery \d+ has no stored body to replay/),
    });
    await expect(server.api('deliveries.replay', { id: 99_999_999 })).rejects.toMatchObject({ status: 404 });
  });
});

describe('secret rotation', () => {
  it('keeps the previous secret valid for 24 hours after an update', async () => {
    const endpoint = await server.api<EndpointView>('endpoints.create', { name: uid('rotate'), secret: TEST_SECRET });
    const url = endpoint.path;
    const post = (secret: string) => {
      const payload = JSON.stringify(piEvent());
      return server.post(payload, { 'stripe-signature': sign(payload, secret) }, url);
    };
    const NEW = 'whsec_new_secret_after_rotation_9876';
    const updated = await server.api<EndpointView>('endpoints.update', { ref: endpoint.id, secret: NEW });
    expect(updated.secret).toBe('whsec_…9876');
    expect(updated.previousSecretValidUntil).toBeGreaterThan(Date.now() + 23.9 * 3600_000);
    expect(updated.previousSecretValidUntil).toBeLessThanOrEqual(Date.now() + 24 * 3600_000);
    expect((await post(NEW)).status).toBe(200);
    expect((await post(TEST_SECRET)).status).toBe(200);
    expect((await post('whsec_neither_of_them_000000000')).body).toEqual({ error: 'Invalid signature: signature does not match' });
  });

  it('stops accepting the previous secret after 24 hours', async () => {
    let clock = Date.parse('2025-06-01T12:00:00Z');
    const engine: Engine = await createEngine({ dataDir: tempDir(), now: () => clock });
    try {
      const endpoint = engine.endpoints.create({ name: 'shop', secret: TEST_SECRET, mode: 'test', debug: false, clientIds: null });
      const handle = (secret: string) => {
        const payload = JSON.stringify(piEvent());
        const request: IncomingDelivery = {
          method: 'POST', path: endpoint.path, body: Buffer.from(payload), bodyTooLarge: false, remoteAddress: '127.0.0.1', receivedAt: clock,
          headers: { 'stripe-signature': sign(payload, secret, Math.floor(clock / 1000)) },
        };
        return engine.receiver.handle(request).then((a) => a.status);
      };
      const NEW = 'whsec_rotated_secret_0000000000wxyz';
      engine.endpoints.update({ ref: endpoint.id, secret: NEW });
      clock += 23 * 3600_000;
      expect(await handle(TEST_SECRET)).toBe(200);
      expect(engine.endpoints.get(endpoint.id).previousSecretValidUntil).not.toBeNull();
      clock += 2 * 3600_000;
      expect(await handle(TEST_SECRET)).toBe(400);
      expect(await handle(NEW)).toBe(200);
      expect(engine.endpoints.get(endpoint.id).previousSecretValidUntil).toBeNull();
    } finally {
      await engine.close();
    }
  });
});
