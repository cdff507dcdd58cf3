// The only listener that faces the internet (through the tunnel): webhook routes and /health.
import http from 'node:http';
import { MAX_BODY_BYTES, isWebhookRoute, type Receiver } from '../core/webhooks/receiver';
import { applyTimeouts, close, listen, readBody, sendJson } from './http-util';

export interface WebhookListener {
  port: number;
  url: string;
  close(): Promise<void>;
}

export async function startWebhookListener(receiver: Receiver, options: { port: number; host: string }): Promise<WebhookListener> {
  const server = http.createServer(async (req, res) => {
    const receivedAt = Date.now();
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    try {
      if (path === '/health' && (req.method === 'GET' || req.method === 'HEAD')) return sendJson(res, 200, { ok: true });
      if (!isWebhookRoute(path)) return sendJson(res, 404, { error: 'Not found' });
      const { body, tooLarge } = await readBody(req, MAX_BODY_BYTES);
      const answer = await receiver.handle({
        method: req.method ?? 'GET',
        path,
        headers: req.headers,
        body,
        bodyTooLarge: tooLarge,
        remoteAddress: (req.headers['x-forwarded-for'] as string | undefined)?.split(',')[0]?.trim() ?? req.socket.remoteAddress ?? null,
        receivedAt,
      });
      // A refused oversized body is not read to the end; close so the client stops sending.
      sendJson(res, answer.status, answer.body, tooLarge ? { connection: 'close' } : {});
    } catch {
      if (!res.headersSent) sendJson(res, 503, { error: 'Temporarily unavailable (Stripe retries)' });
    }
  });
  applyTimeouts(server);
  const port = await listen(server, options.port, options.host);
  const hostForUrl = options.host.includes(':') ? `[${options.host}]` : options.host;
  return { port, url: `http://${hostForUrl}:${port}`, close: () => close(server) };
}
