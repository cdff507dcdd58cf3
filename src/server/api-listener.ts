// The local API: POST /api/<method>, GET /api/events (server-sent events), and the built
// renderer at /. Bound to loopback and guarded by a random token generated at start.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { callApi, type HandlerMap } from '../core/api/handlers';
import { NotFoundError, UserError } from '../core/errors';
import type { PushBus } from '../core/push-bus';
import { applyTimeouts, close, listen, readBody, sendJson } from './http-util';

const MAX_API_BODY = 1024 * 1024;
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
};

export interface ApiListener {
  port: number;
  token: string;
  /** The address to open in a browser, token included. */
  appUrl: string;
  close(): Promise<void>;
}

export interface ApiListenerOptions {
  port: number;
  host: string;
  handlers: HandlerMap;
  bus: PushBus;
  /** Folder of the built renderer (index.html); null serves a note instead. */
  rendererDir: string | null;
  token?: string;
}

function tokenOf(req: http.IncomingMessage, url: URL): string | null {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7);
  return url.searchParams.get('token');
}

const sameToken = (given: string | null, expected: string) =>
  given !== null && given.length === expected.length && crypto.timingSafeEqual(Buffer.from(given), Buffer.from(expected));

function serveStatic(res: http.ServerResponse, rendererDir: string | null, pathname: string) {
  if (!rendererDir) {
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
    return res.end('Paylens API is running. Build the app (npm run build) to get the page here.');
  }
  const relative = pathname === '/' ? 'index.html' : decodeURIComponent(pathname).replace(/^\/+/, '');
  const file = path.resolve(rendererDir, relative);
  const inside = file.startsWith(path.resolve(rendererDir) + path.sep);
  const target = inside && fs.existsSync(file) && fs.statSync(file).isFile() ? file : path.join(rendererDir, 'index.html');
  res.writeHead(200, {
    'content-type': CONTENT_TYPES[path.extname(target)] ?? 'application/octet-stream',
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:",
  });
  fs.createReadStream(target).pipe(res);
}

export async function startApiListener(options: ApiListenerOptions): Promise<ApiListener> {
  const token = options.token ?? crypto.randomBytes(24).toString('base64url');
  const streams = new Set<http.ServerResponse>();

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    try {
      if (!url.pathname.startsWith('/api/')) {
        if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { error: 'Method not allowed' });
        return serveStatic(res, options.rendererDir, url.pathname);
      }
      if (!sameToken(tokenOf(req, url), token)) return sendJson(res, 401, { error: 'Missing or wrong API token' });

      if (url.pathname === '/api/events' && req.method === 'GET') {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
        res.write(': connected\n\n');
        streams.add(res);
        req.on('close', () => streams.delete(res));
        return;
      }
      if (req.method !== 'POST') return sendJson(res, 405, { error: 'API methods are called with POST' });
      const method = url.pathname.slice('/api/'.length);
      const { body, tooLarge } = await readBody(req, MAX_API_BODY);
      if (tooLarge) return sendJson(res, 413, { error: 'Request body too large' });
      let input: unknown = {};
      if (body.length > 0) {
        try {
          input = JSON.parse(body.toString('utf8'));
        } catch {
          return sendJson(res, 400, { error: 'Request body is not valid JSON' });
        }
      }
      sendJson(res, 200, await callApi(options.handlers, method, input));
    } catch (error) {
      if (error instanceof NotFoundError) return sendJson(res, 404, { error: error.message });
      if (error instanceof UserError) return sendJson(res, 400, { error: error.message });
      sendJson(res, 500, { error: `Internal error: ${(error as Error).message}` });
    }
  });
  applyTimeouts(server);
  // Event streams stay open; only the header timeout should apply to them.
  server.requestTimeout = 0;

  const unsubscribe = options.bus.onAny((event, payload) => {
    // Every delivery is pushed: with no page or follower open, do not even format it.
    if (streams.size === 0) return;
    const frame = `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;
    for (const stream of streams) stream.write(frame);
  });
  const heartbeat = setInterval(() => {
    for (const stream of streams) stream.write(': ping\n\n');
  }, 15_000);
  heartbeat.unref();

  const port = await listen(server, options.port, options.host);
  return {
    port,
    token,
    appUrl: `http://${options.host}:${port}/?token=${token}`,
    async close() {
      clearInterval(heartbeat);
      unsubscribe();
      for (const stream of streams) stream.end();
      await close(server);
    },
  };
}
