// The page at / in a real Chromium: endpoints listed, a delivery appearing live, markup shown as text,
// a delivery's details and Replay. Needs the built renderer (npm run build → out/renderer).
import fs from 'node:fs';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, makeEvent } from './helpers/fixtures';
import { startTestServer, type TestServer } from './helpers/server';
import { uid } from './helpers/state';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = fs.existsSync(CHROMIUM);
const RENDERER_DIR = path.resolve(__dirname, '../out/renderer');
const SCREENSHOT = path.resolve(__dirname, '../test-results/ui-page.png');
const XSS = '<img src=x onerror=alert(1)>';

let server: TestServer | undefined;
let browser: Browser | undefined;
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the page at /', () => {
  beforeAll(() => {
    if (hasChromium && !fs.existsSync(path.join(RENDERER_DIR, 'index.html')))
      throw new Error(`No built renderer in ${RENDERER_DIR}: run \`npx electron-vite build\` (npm test builds first)`);
  });

  it.skipIf(!hasChromium)(`shows endpoints and live deliveries, markup as text (skipped when there is no Chromium at ${CHROMIUM})`, async () => {
    server = await startTestServer({ rendererDir: RENDERER_DIR, debug: true, clientIds: ['site_1'] });
    // Deliveries that carry markup where the page shows text: an event type and a result.
    const hostile = makeEvent(XSS, fixture('payment_intent', { id: uid('pi') }));
    expect((await server.deliver(hostile)).status).toBe(200);
    const badClient = makeEvent('payment_intent.succeeded', fixture('payment_intent', { id: uid('pi'), status: 'succeeded', metadata: { client_id: XSS } }));
    expect((await server.deliver(badClient)).status).toBe(200);

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    const page: Page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    const dialogs: string[] = [];
    const pageErrors: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => message.type() === 'error' && pageErrors.push(message.text()));

    await page.goto(server.headless.api!.appUrl);
    const endpoints = page.getByRole('region', { name: 'Endpoints' });
    await expect.poll(() => endpoints.textContent()).toContain('shop');
    await expect.poll(() => endpoints.textContent()).toContain(server.webhookUrl);
    await expect.poll(() => endpoints.textContent()).toContain('whsec_…mnop');

    const log = page.getByRole('region', { name: 'Deliveries' });
    await expect.poll(() => log.textContent()).toContain(XSS);
    expect(await log.textContent()).toContain(`client_id "${XSS}"`);
    expect(await page.locator('img').count()).toBe(0);

    // A new delivery appears without a reload.
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
    const fresh = makeEvent('payment_intent.succeeded', fixture('payment_intent', { id: uid('pi'), status: 'succeeded', amount_received: 1099, metadata: { client_id: 'site_1', session_id: 'sess_ui' } }));
    expect((await server.deliver(fresh)).status).toBe(200);
    const freshRow = log.locator('tbody tr', { hasText: fresh.id });
    await freshRow.waitFor({ timeout: 10_000 });
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
    expect(await freshRow.locator('.pill').textContent()).toBe('200');
    expect(await freshRow.getAttribute('class')).toContain('ok');
    // A refused one shows in the failed colour.
    await server.post('{}', { 'stripe-signature': 't=1,v1=deadbeef' });
    const refusedRow = log.locator('tbody tr', { hasText: 'Invalid signature' }).first();
    await refusedRow.waitFor({ timeout: 10_000 });
    expect(await refusedRow.getAttribute('class')).toContain('failed');
    expect(await log.locator('tbody tr').first().textContent()).toContain('Invalid signature');

    // Details of the hostile delivery: headers, body and result as text; Replay gives a duplicate.
    await log.locator('tbody tr', { hasText: hostile.id }).click();
    const details = page.getByRole('region', { name: 'Delivery details' });
    await expect.poll(() => details.textContent()).toContain('stripe-signature');
    expect(await details.textContent()).toContain('stored (not used for reports)');
    expect(await details.locator('pre.body').textContent()).toContain(XSS);
    expect(await page.locator('img').count()).toBe(0);
    await details.getByRole('button', { name: 'Replay' }).click();
    await expect.poll(() => details.textContent(), { timeout: 10_000 }).toContain('duplicate: already stored');
    expect(await details.textContent()).toMatch(/Replay of#\d+/);

    await page.getByRole('region', { name: 'Deliveries' }).locator('tbody tr', { hasText: fresh.id }).click();
    await expect.poll(() => details.textContent()).toContain(fresh.id);
    fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });

    expect(dialogs).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
