// The headless API over real HTTP: token, errors, the method map, server-sent events, static page.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeliveryDetail, DeliverySummary } from '../src/shared/api/deliveries';
import type { EndpointView } from '../src/shared/api/endpoints';
import type { PaymentDetail, PaymentSummary } from '../src/shared/api/payments';
import { fixture, makeEvent, sign, TEST_SECRET } from './helpers/fixtures';
import { startTestServer, tempDir, type TestServer } from './helpers/server';
import { uid } from './helpers/state';

let server: TestServer;
let rendererDir: string;
beforeAll(async () => {
  rendererDir = tempDir('paylens-renderer-');
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Paylens</title><div id="root"></div>');
  fs.mkdirSync(path.join(rendererDir, 'assets'));
  fs.writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log("paylens")');
  server = await startTestServer({ rendererDir });
});
afterAll(async () => server?.close());

const base = () => `http://127.0.0.1:${server.headless.api!.port}`;
const token = () => server.headless.api!.token;
const call = async (method: string, body: unknown, headers: Record<string, string> = { authorization: `Bearer ${token()}` }) => {
  const res = await fetch(`${base()}/api/${method}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: res.status, text: await res.text() };
};

describe('access', () => {
  it('refuses calls without the token or with a wrong one', async () => {
    expect(await call('endpoints.list', {}, {})).toEqual({ status: 401, text: JSON.stringify({ error: 'Missing or wrong API token' }) });
    expect((await call('endpoints.list', {}, { authorization: 'Bearer nope' })).status).toBe(401);
    expect((await call('endpoints.list', {}, { authorization: `Bearer ${token()}x` })).status).toBe(401);
    expect((await fetch(`${base()}/api/events`)).status).toBe(401);
    expect((await fetch(`${base()}/api/events?token=wrong`)).status).toBe(401);
    // The token also works as a query parameter (what the page URL carries).
    expect((await call(`endpoints.list?token=${token()}`, {}, {})).status).toBe(200);
  });

  it('answers an unknown method with 404, a bad body with 400 and GET on a method with 405', async () => {
    expect(await call('endpoints.explode', {})).toEqual({ status: 404, text: JSON.stringify({ error: 'Unknown API method "endpoints.explode"' }) });
    expect(await call('endpoints.list', '{not json')).toEqual({ status: 400, text: JSON.stringify({ error: 'Request body is not valid JSON' }) });
    const get = await fetch(`${base()}/api/endpoints.list`, { headers: { authorization: `Bearer ${token()}` } });
    expect(get.status).toBe(405);
  });

  it('names the field at fault in invalid input', async () => {
    const res = await call('deliveries.list', { limit: 'many' });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text).error).toMatch(/^Invalid input for deliveries\.list: limit: /);
    const missing = await call('payments.get', {});
    expect(JSON.parse(missing.text).error).toMatch(/^Invalid input for payments\.get: id: /);
  });

  it('binds the API to 127.0.0.1 only, and the webhook listener serves no API', async () => {
    expect(server.headless.api!.appUrl).toBe(`http://127.0.0.1:${server.headless.api!.port}/?token=${token()}`);
    const external = Object.values(os.networkInterfaces()).flat().find((i) => i && !i.internal && i.family === 'IPv4');
    const targets = ['127.0.0.2', ...(external ? [external.address] : [])];
    for (const host of targets) {
      const refused = await new Promise<boolean>((resolve) => {
        const socket = net.connect({ host, port: server.headless.api!.port });
        socket.once('connect', () => { socket.destroy(); resolve(false); });
        socket.once('error', () => resolve(true));
      });
      expect(refused, `API reachable on ${host}`).toBe(true);
    }
    const viaWebhook = await fetch(`${server.headless.webhook.url}/api/endpoints.list`, { method: 'POST', headers: { authorization: `Bearer ${token()}` } });
    expect(viaWebhook.status).toBe(404);
  });
});

describe('endpoints', () => {
  it('creates, lists, shows, updates, regenerates and removes, never returning the secret in full', async () => {
    const SECRET = 'whsec_api_test_secret_00000000abcd';
    const created = await call('endpoints.create', { name: 'api-shop', secret: SECRET, mode: 'live', clientIds: ['site_1'] });
    expect(created.status).toBe(200);
    const endpoint = JSON.parse(created.text) as EndpointView;
    expect(endpoint).toMatchObject({ name: 'api-shop', mode: 'live', debug: false, clientIds: ['site_1'], secret: 'whsec_…abcd', path: `/stripe/webhook/${endpoint.token}` });
    expect(endpoint.token).toMatch(/^wh_[A-Za-z0-9_-]{24,}$/);

    for (const res of [created, await call('endpoints.list', {}), await call('endpoints.get', { ref: endpoint.id }), await call('endpoints.get', { ref: 'api-shop' })]) {
      expect(res.status).toBe(200);
      expect(res.text).not.toContain(SECRET);
      expect(res.text).not.toContain(TEST_SECRET);
    }
    const listed = JSON.parse((await call('endpoints.list', {})).text) as EndpointView[];
    expect(listed.map((e) => e.name)).toContain('api-shop');

    const updated = JSON.parse((await call('endpoints.update', { ref: endpoint.id, name: 'api-shop-2', debug: true, clientIds: null })).text) as EndpointView;
    expect(updated).toMatchObject({ name: 'api-shop-2', debug: true, clientIds: null, mode: 'live' });

    const regenerated = JSON.parse((await call('endpoints.regenerateToken', { ref: endpoint.id })).text) as EndpointView;
    expect(regenerated.token).not.toBe(endpoint.token);
    const payload = JSON.stringify(makeEvent('ping', { id: 'x' }, { livemode: true }));
    expect((await server.post(payload, { 'stripe-signature': sign(payload, SECRET) }, endpoint.path)).status).toBe(404);
    expect((await server.post(payload, { 'stripe-signature': sign(payload, SECRET) }, regenerated.path)).status).toBe(200);

    expect(JSON.parse((await call('endpoints.remove', { ref: endpoint.id })).text)).toEqual({ removed: endpoint.id });
    expect(await call('endpoints.get', { ref: endpoint.id })).toEqual({ status: 404, text: JSON.stringify({ error: `No webhook endpoint with id, name or token "${endpoint.id}"` }) });
    expect((await server.post(payload, { 'stripe-signature': sign(payload, SECRET) }, regenerated.path)).status).toBe(404);
  });

  it('refuses a secret that is not a whsec_ secret, and a duplicate name', async () => {
    const bad = await call('endpoints.create', { name: 'bad', secret: 'sk_test_123456789012345' });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.text).error).toBe('Invalid input for endpoints.create: secret: Signing secret must start with whsec_ (copy it from the Stripe dashboard or `stripe listen`)');
    const badUpdate = await call('endpoints.update', { ref: 'shop', secret: 'whsec_short' });
    expect(JSON.parse(badUpdate.text).error).toMatch(/secret: Signing secret looks truncated/);
    const clash = await call('endpoints.create', { name: 'shop', secret: TEST_SECRET });
    expect(clash).toEqual({ status: 400, text: JSON.stringify({ error: 'An endpoint named "shop" already exists' }) });
    const names = (JSON.parse((await call('endpoints.list', {})).text) as EndpointView[]).map((e) => e.name);
    expect(names).not.toContain('bad');
  });
});

describe('deliveries and payments', () => {
  it('lists, filters, pages and shows deliveries', async () => {
    const event = makeEvent('payment_intent.succeeded', fixture('payment_intent', { id: uid('pi'), status: 'succeeded', amount_received: 1099, metadata: { client_id: 'c', session_id: 's' } }));
    await server.deliver(event);
    await server.post('{}', { 'stripe-signature': 't=1,v1=00' });
    const all = await server.api<DeliverySummary[]>('deliveries.list', { limit: 10 });
    expect(all[0]!.id).toBeGreaterThan(all[1]!.id);
    expect(all[0]).toMatchObject({ status: 400 });
    expect(all[1]).toMatchObject({ status: 200, eventId: event.id });
    const failed = await server.api<DeliverySummary[]>('deliveries.list', { failedOnly: true });
    expect(failed.every((d) => d.status >= 300)).toBe(true);
    const after = await server.api<DeliverySummary[]>('deliveries.list', { afterId: all[1]!.id - 1 });
    expect(after.map((d) => d.id)).toEqual([all[1]!.id, all[0]!.id]);
    const before = await server.api<DeliverySummary[]>('deliveries.list', { beforeId: all[0]!.id, limit: 1 });
    expect(before.map((d) => d.id)).toEqual([all[1]!.id]);
    const detail = await server.api<DeliveryDetail>('deliveries.get', { id: all[1]!.id });
    expect(detail).toMatchObject({ eventId: event.id, usedForReports: true, bodySize: JSON.stringify(event).length, body: null });
    await expect(server.api('deliveries.get', { id: 123_456_789 })).rejects.toMatchObject({ status: 404 });

    const payments = await server.api<PaymentSummary[]>('payments.list', {});
    expect(payments.find((p) => p.id === event.data.object.id)).toMatchObject({ kind: 'payment_intent', amountReceived: 1099, status: 'succeeded' });
    const succeeded = await server.api<PaymentSummary[]>('payments.list', { status: 'succeeded', limit: 1 });
    expect(succeeded).toHaveLength(1);
    const payment = await server.api<PaymentDetail>('payments.get', { id: event.data.object.id });
    expect(payment).toMatchObject({ payment: { id: event.data.object.id }, metadata: { client_id: 'c', session_id: 's' }, events: [{ id: event.id, type: event.type }] });
    await expect(server.api('payments.get', { id: 'pi_missing' })).rejects.toMatchObject({ status: 404, message: 'No payment with id pi_missing' });
  });
});

describe('server-sent events', () => {
  it('pushes a delivery frame when a webhook arrives', async () => {
    const controller = new AbortController();
    const res = await fetch(`${base()}/api/events?token=${encodeURIComponent(token())}`, { signal: controller.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const read = async (until: (t: string) => boolean) => {
      while (!until(text)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended: ${text}`);
        text += decoder.decode(value, { stream: true });
      }
    };
    await read((t) => t.includes(': connected'));
    const event = makeEvent('payment_intent.created', fixture('payment_intent', { id: uid('pi'), metadata: { client_id: 'c' } }));
    await server.deliver(event);
    await read((t) => /event: delivery\ndata: .*\n\n/.test(t));
    const data = /event: delivery\ndata: (.*)\n\n/.exec(text)![1]!;
    expect(JSON.parse(data)).toMatchObject({ eventId: event.id, status: 200, outcome: 'stored', eventType: 'payment_intent.created' });
    controller.abort();
  });
});

describe('the page', () => {
  it('serves the built renderer at / without the token, with a content security policy', async () => {
    const res = await fetch(`${base()}/?token=${token()}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect(await res.text()).toContain('<div id="root">');
    const asset = await fetch(`${base()}/assets/app.js`);
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await asset.text()).toBe('console.log("paylens")');
    // Client-side routes fall back to the page; nothing outside the folder is served.
    expect(await (await fetch(`${base()}/deliveries/5`)).text()).toContain('<div id="root">');
    for (const probe of ['/..%2f..%2f..%2fetc%2fpasswd', '/%2e%2e/%2e%2e/etc/passwd', '/assets/..%2f..%2fpaylens.db']) {
      const body = await (await fetch(`${base()}${probe}`)).text();
      expect(body, probe).toContain('<div id="root">');
    }
    expect((await fetch(`${base()}/`, { method: 'POST' })).status).toBe(405);
  });
});
