// The newcomer's path from the README: add an endpoint, serve, post a signed event,
// watch it in `paylens deliveries --follow` and on the page at /.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, paylens, spawnPaylens } from './helpers/cli';
import { fixture, makeEvent, sign } from './helpers/fixtures';
import { tempDir } from './helpers/server';

const SECRET = 'whsec_cli_serve_0123456789abcdef';
const running: Array<ReturnType<typeof spawnPaylens>> = [];
beforeAll(assertBuilt);
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop()));
});

describe('paylens serve and deliveries --follow (built binary)', () => {
  it('receives a signed event and shows it live in the terminal and through the API', async () => {
    const dir = tempDir();
    const { path } = JSON.parse(paylens(dir, ['endpoints', 'add', '--name', 'shop', '--secret', SECRET, '--json']).stdout) as { path: string };

    const serve = spawnPaylens(dir, ['serve', '--webhook-port', '0', '--api-port', '0']);
    running.push(serve);
    const [, appUrl] = await serve.waitFor(/Open the app:\s+(\S+)/);
    const [, webhookBase] = await serve.waitFor(/Webhook receiver: (http:\/\/127\.0\.0\.1:\d+)/);
    expect(serve.output()).toContain(`shop [test]: ${webhookBase}${path}`);

    const follow = spawnPaylens(dir, ['deliveries', '--follow']);
    running.push(follow);
    await new Promise((r) => setTimeout(r, 700)); // let it read the current end of the log

    const event = makeEvent('payment_intent.succeeded', fixture('payment_intent', { id: 'pi_cli_follow', status: 'succeeded', amount_received: 2500, metadata: { client_id: 'site', session_id: 'sess_cli' } }));
    const body = JSON.stringify(event);
    const res = await fetch(`${webhookBase}${path}`, { method: 'POST', body, headers: { 'content-type': 'application/json', 'stripe-signature': sign(body, SECRET) } });
    expect(res.status).toBe(200);

    const [line] = await follow.waitFor(new RegExp(`.*${event.id}.*`));
    expect(line).toMatch(/ 200 +payment_intent\.succeeded +evt_\w+ +stored/);

    // A refused delivery shows too, with its reason.
    await fetch(`${webhookBase}${path}`, { method: 'POST', body, headers: { 'stripe-signature': 't=1,v1=00' } });
    await follow.waitFor(/400 .*Invalid signature: (signature does not match|timestamp too old)/);

    const token = new URL(appUrl!).searchParams.get('token')!;
    const api = new URL(appUrl!);
    const listed = await fetch(`${api.origin}/api/payments.list`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: '{}' });
    const payments = (await listed.json()) as Array<{ id: string; amountReceived: number; status: string }>;
    expect(payments).toEqual([expect.objectContaining({ id: 'pi_cli_follow', amountReceived: 2500, status: 'succeeded' })]);
    const page = await fetch(appUrl!);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');

    expect(await serve.stop('SIGTERM')).toBe(0);
    expect(serve.errors()).toContain('Stopped.');
  });

  it('lists the log, filters failed deliveries and prints JSON lines', async () => {
    const dir = tempDir();
    paylens(dir, ['endpoints', 'add', '--name', 'shop', '--secret', SECRET]);
    const serve = spawnPaylens(dir, ['serve', '--webhook-port', '0', '--api-port', '0']);
    running.push(serve);
    const [, url] = await serve.waitFor(/shop \[test\]: (\S+)/);
    const event = makeEvent('customer.created', fixture('customer'));
    const body = JSON.stringify(event);
    await fetch(url!, { method: 'POST', body, headers: { 'stripe-signature': sign(body, SECRET) } });
    await fetch(url!, { method: 'POST', body });
    await serve.stop();

    const all = paylens(dir, ['deliveries', '--json']).stdout.trim().split('\n').map((l) => JSON.parse(l) as { status: number; result: string });
    expect(all.map((d) => [d.status, d.result])).toEqual([
      [200, 'stored (not used for reports)'],
      [400, 'Missing stripe-signature header'],
    ]);
    const failed = paylens(dir, ['deliveries', '--failed']).stdout;
    expect(failed).toContain('Missing stripe-signature header');
    expect(failed).not.toContain('customer.created');
    expect(paylens(dir, ['deliveries', 'show', 'x']).stderr).toContain('needs a delivery id');
  });

  it('refuses a port that is taken with a clear message', async () => {
    const dir = tempDir();
    const first = spawnPaylens(dir, ['serve', '--webhook-port', '0', '--api-port', '0']);
    running.push(first);
    const [, port] = await first.waitFor(/Webhook receiver: http:\/\/127\.0\.0\.1:(\d+)/);
    const second = paylens(tempDir(), ['serve', '--webhook-port', port!, '--api-port', '0']);
    expect(second.status).toBe(1);
    expect(second.stderr).toContain(`Port ${port} on 127.0.0.1 is already in use`);
  });
});
