import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, makeEvent, sign, TEST_SECRET } from './helpers/fixtures';
import { startTestServer, type TestServer } from './helpers/server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server?.close());

const piEvent = (type: string, overrides: Record<string, unknown> = {}, created?: number) =>
  makeEvent(type, fixture('payment_intent', { id: `pi_${Math.random().toString(36).slice(2)}`, metadata: { client_id: 'site_1', session_id: 'sess_1' }, ...overrides }), { created });

describe('the receiver answers every case of the table', () => {
  it('stores a signed event and answers 200 with its id', async () => {
    const event = piEvent('payment_intent.succeeded', { status: 'succeeded', amount_received: 1099 });
    const res = await server.deliver(event);
    expect(res).toEqual({ status: 200, body: { received: true, id: event.id, type: event.type, duplicate: false } });
    const stored = server.headless.engine.store.sqlite.prepare('SELECT status, amount_received FROM payment_intents WHERE id = ?').get(event.data.object.id);
    expect(stored).toEqual({ status: 'succeeded', amount_received: 1099 });
  });

  it('answers a duplicate with duplicate:true and no second effect', async () => {
    const event = piEvent('payment_intent.succeeded', { status: 'succeeded', amount_received: 500 });
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await server.deliver(event));
    expect(answers.map((a) => a.body.duplicate)).toEqual([false, true, true, true, true]);
    const count = server.headless.engine.store.sqlite.prepare('SELECT count(*) n FROM events WHERE id = ?').get(event.id) as { n: number };
    expect(count.n).toBe(1);
  });

  it('refuses an unknown token with 404', async () => {
    const res = await server.post('{}', {}, '/stripe/webhook/wh_doesnotexist000000000000000');
    expect(res).toEqual({ status: 404, body: { error: 'Webhook endpoint not found' } });
  });

  it('refuses a missing signature, a wrong one, an unparsable one and a stale one', async () => {
    const payload = JSON.stringify(piEvent('payment_intent.created'));
    expect((await server.post(payload)).body.error).toBe('Missing stripe-signature header');
    const wrong = await server.post(payload, { 'stripe-signature': sign(payload, 'whsec_some_other_secret_000000') });
    expect(wrong).toEqual({ status: 400, body: { error: 'Invalid signature: signature does not match' } });
    const garbled = await server.post(payload, { 'stripe-signature': 'garbage' });
    expect(garbled.body.error).toBe('Invalid signature: header unparsable');
    // An empty v1 among valid-looking parts: said in plain words, not as the stripe package's internal message.
    const emptyV1 = await server.post(payload, { 'stripe-signature': `t=${Math.floor(Date.now() / 1000)},v1=` });
    expect(emptyV1).toEqual({ status: 400, body: { error: 'Invalid signature: header unparsable' } });
    const stale = await server.post(payload, { 'stripe-signature': sign(payload, TEST_SECRET, Math.floor(Date.now() / 1000) - 301) });
    expect(stale.status).toBe(400);
    expect(stale.body.error).toMatch(/^Invalid signature: timestamp too old/);
    const empty = await server.post('', { 'stripe-signature': sign('', TEST_SECRET) });
    expect(empty).toEqual({ status: 400, body: { error: 'Invalid signature: empty body' } });
  });

  it('verifies the bytes as sent: a body that is not valid UTF-8 is checked like any other', async () => {
    const event = piEvent('payment_intent.created');
    const bytes = Buffer.concat([Buffer.from(JSON.stringify(event).slice(0, -1)), Buffer.from(',"note":"\xff\xfe"}', 'latin1')]);
    // Signed over the bytes as the stripe package decodes them, it verifies; changed bytes do not.
    const signedText = new TextDecoder('utf8').decode(bytes);
    expect((await server.post(bytes, { 'stripe-signature': sign(signedText, TEST_SECRET) })).body).toMatchObject({ received: true, id: event.id });
    const tampered = Buffer.from(bytes);
    tampered[tampered.length - 3] = 0x41;
    expect((await server.post(tampered, { 'stripe-signature': sign(signedText, TEST_SECRET) })).body.error).toBe('Invalid signature: signature does not match');
  });

  it('refuses bodies over 1 MiB with 413', async () => {
    const big = 'x'.repeat(1024 * 1024 + 10);
    const res = await server.post(big, { 'stripe-signature': sign(big, TEST_SECRET) });
    expect(res).toEqual({ status: 413, body: { error: 'Payload too large' } });
  });

  it('refuses a signed body that is not an event', async () => {
    const notJson = await server.deliver('{"id": "evt_1", oops');
    expect(notJson).toEqual({ status: 400, body: { error: 'Not a Stripe event: body is not valid JSON' } });
    const notEvent = await server.deliver(JSON.stringify(fixture('payment_intent')));
    expect(notEvent.status).toBe(400);
    expect(notEvent.body.error).toMatch(/^Not a Stripe event/);
  });

  it('refuses a live event on a test endpoint', async () => {
    const event = makeEvent('payment_intent.created', fixture('payment_intent'), { livemode: true });
    expect(await server.deliver(event)).toEqual({ status: 400, body: { error: 'Live/test mode mismatch: endpoint is test, event is live' } });
  });

  it('stores a payment without client_id, with a warning on its delivery', async () => {
    const event = makeEvent('payment_intent.succeeded', fixture('payment_intent', { id: 'pi_noclient', status: 'succeeded', amount_received: 1099, metadata: {} }));
    const res = await server.deliver(event);
    expect(res.status).toBe(200);
    const [latest] = server.headless.engine.deliveries.list({ limit: 1, failedOnly: false });
    expect(latest).toMatchObject({ eventId: event.id, outcome: 'warning', warnings: ['Missing client_id in payment_intent_data.metadata'], status: 200 });
  });

  it('logs every refused delivery with its reason and status', async () => {
    const failed = server.headless.engine.deliveries.list({ limit: 100, failedOnly: true });
    const reasons = failed.map((d) => `${d.status} ${d.result}`);
    expect(reasons).toEqual(
      expect.arrayContaining([
        '404 Webhook endpoint not found',
        '400 Missing stripe-signature header',
        '400 Invalid signature: signature does not match',
        '413 Payload too large',
        '400 Live/test mode mismatch: endpoint is test, event is live',
      ]),
    );
    const detail = server.headless.engine.deliveries.get(failed[0]!.id, null);
    expect(detail.body).not.toBeNull();
  });
});
