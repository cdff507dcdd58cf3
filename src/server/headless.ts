// Starts the engine with its two listeners: what `paylens serve` and the desktop app run.
import { createHandlers, type HandlerMap } from '../core/api/handlers';
import { createEngine, type Engine } from '../core/engine';
import { openTunnel, type Tunnel } from '../core/tunnel';
import { webhookPath } from '../core/webhooks/endpoints';
import { type ApiListener, startApiListener } from './api-listener';
import { startWebhookListener, type WebhookListener } from './webhook-listener';

export const VERSION = '0.1.0';
const PRUNE_EVERY_MS = 10 * 60 * 1000;

export interface HeadlessOptions {
  dataDir: string;
  webhookPort: number;
  apiPort: number;
  /** Address the webhook listener binds to; the API listener always binds to 127.0.0.1. */
  host: string;
  rendererDir: string | null;
  /** Skip the API listener (the desktop app talks over IPC instead). */
  withoutApi?: boolean;
  apiToken?: string;
  /** Open a localtunnel to the webhook listener (only it faces the internet). */
  tunnel?: { host?: string; subdomain?: string; onError?: (error: Error) => void };
  /** The merchant's own public URL that reaches the webhook listener (reverse proxy, Stripe CLI…). */
  publicUrl?: string;
  /** Passed to the engine: how long a write waits for a database lock held elsewhere. */
  busyTimeoutMs?: number;
}

export interface Headless {
  engine: Engine;
  handlers: HandlerMap;
  webhook: WebhookListener;
  api: ApiListener | null;
  /** Base URL Stripe should call: the tunnel's or the given public URL; null when only local. */
  publicBaseUrl: string | null;
  webhookUrls(): Array<{ name: string; mode: string; url: string; publicUrl: string | null }>;
  close(): Promise<void>;
}

export async function startHeadless(options: HeadlessOptions): Promise<Headless> {
  const engine = await createEngine({ dataDir: options.dataDir, busyTimeoutMs: options.busyTimeoutMs });
  let webhook: WebhookListener | undefined;
  let api: ApiListener | null = null;
  let tunnel: Tunnel | undefined;
  try {
    engine.pruneDeliveries();
    webhook = await startWebhookListener(engine.receiver, { port: options.webhookPort, host: options.host });
    tunnel = options.tunnel ? await openTunnel({ localPort: webhook.port, ...options.tunnel }) : undefined;
    const publicBaseUrl = tunnel?.url ?? options.publicUrl?.replace(/\/$/, '') ?? null;
    const handlers = createHandlers(engine, { version: VERSION, webhookBaseUrl: webhook.url, publicBaseUrl });
    if (!options.withoutApi) {
      api = await startApiListener({
        port: options.apiPort,
        host: '127.0.0.1',
        handlers,
        bus: engine.bus,
        rendererDir: options.rendererDir,
        token: options.apiToken,
      });
    }
    // Through the group committer: a lock held by another process is waited for off the event
    // loop. A prune that fails is simply tried again at the next interval.
    const pruning = setInterval(() => void engine.commits.submit(() => engine.pruneDeliveries()).catch(() => undefined), PRUNE_EVERY_MS);
    pruning.unref();
    const listener = webhook;
    return {
      engine,
      handlers,
      webhook: listener,
      api,
      publicBaseUrl,
      webhookUrls: () =>
        engine.endpoints.list().map((e) => ({
          name: e.name,
          mode: e.mode,
          url: `${listener.url}${webhookPath(e.token)}`,
          publicUrl: publicBaseUrl ? `${publicBaseUrl}${webhookPath(e.token)}` : null,
        })),
      async close() {
        clearInterval(pruning);
        tunnel?.close();
        await api?.close();
        await listener.close();
        await engine.close();
      },
    };
  } catch (error) {
    tunnel?.close();
    await api?.close();
    await webhook?.close();
    await engine.close();
    throw error;
  }
}
