// A real headless server on 127.0.0.1 (ephemeral ports) over a temp data folder.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startHeadless, type Headless } from '../../src/server/headless';
import { sign, TEST_SECRET, type TestEvent } from './fixtures';

export function tempDir(prefix = 'paylens-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface TestServer {
  headless: Headless;
  dataDir: string;
  /** URL path of the default test endpoint. */
  path: string;
  webhookUrl: string;
  post(body: string | Buffer, headers?: Record<string, string>, urlPath?: string): Promise<{ status: number; body: Record<string, unknown> }>;
  /** Signs and posts an event to the default endpoint. */
  deliver(event: TestEvent | string, options?: { secret?: string; timestamp?: number }): Promise<{ status: number; body: Record<string, unknown> }>;
  api<T = unknown>(method: string, input?: unknown): Promise<T>;
  close(): Promise<void>;
}

export interface TestServerOptions {
  mode?: 'test' | 'live';
  debug?: boolean;
  clientIds?: string[] | null;
  dataDir?: string;
  /** Absolute folder of the built renderer to serve at / (default: none). */
  rendererDir?: string | null;
  busyTimeoutMs?: number;
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? tempDir();
  const headless = await startHeadless({ dataDir, webhookPort: 0, apiPort: 0, host: '127.0.0.1', rendererDir: options.rendererDir ?? null, busyTimeoutMs: options.busyTimeoutMs });
  const existing = headless.engine.endpoints.list()[0];
  const endpoint =
    existing ??
    headless.engine.endpoints.create({ name: 'shop', secret: TEST_SECRET, mode: options.mode ?? 'test', debug: options.debug ?? false, clientIds: options.clientIds ?? null });
  const post = async (body: string | Buffer, headers: Record<string, string> = {}, urlPath = endpoint.path) => {
    const res = await fetch(`${headless.webhook.url}${urlPath}`, { method: 'POST', body: typeof body === 'string' ? body : new Uint8Array(body), headers: { 'content-type': 'application/json', ...headers } });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  return {
    headless,
    dataDir,
    path: endpoint.path,
    webhookUrl: `${headless.webhook.url}${endpoint.path}`,
    post,
    deliver(event, opts = {}) {
      const payload = typeof event === 'string' ? event : JSON.stringify(event);
      return post(payload, { 'stripe-signature': sign(payload, opts.secret ?? TEST_SECRET, opts.timestamp) });
    },
    async api<T>(method: string, input: unknown = {}) {
      const res = await fetch(`http://127.0.0.1:${headless.api!.port}/api/${method}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${headless.api!.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(input),
      });
      const body = (await res.json()) as T & { error?: string };
      if (!res.ok) throw Object.assign(new Error(body.error ?? `HTTP ${res.status}`), { status: res.status });
      return body;
    },
    close: () => headless.close(),
  };
}
