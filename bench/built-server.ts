// `paylens serve` from the build, as its own process, for benchmarks that measure the app
// as shipped; and signed deliveries to it, timed, while something else runs.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { BIN } from '../test/helpers/cli';
import { fixture, makeEvent, sign } from '../test/helpers/fixtures';

export const SECRET = 'whsec_bench_0123456789abcdefghijkl';

export const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};

export interface BuiltServer {
  child: ChildProcess;
  webhookUrl: string;
  api<T>(method: string, input?: unknown): Promise<T>;
  /** The process's peak resident memory so far, from the kernel (bytes). */
  peakRss(): number;
  close(): Promise<void>;
}

/** `paylens serve` from the build, on its own ports, with one endpoint for the deliveries. */
export async function startBuiltServer(dataDir: string): Promise<BuiltServer> {
  const added = spawnSync(process.execPath, [BIN, 'endpoints', 'add', '--name', 'bench', '--secret', SECRET, '--json', '--data-dir', dataDir], { encoding: 'utf8' });
  if (added.status !== 0) throw new Error(`endpoints add failed: ${added.stderr}`);
  const endpointPath = (JSON.parse(added.stdout) as { path: string }).path;
  const child = spawn(process.execPath, [BIN, 'serve', '--data-dir', dataDir, '--webhook-port', '0', '--api-port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const started = Date.now();
  let app: RegExpMatchArray | null = null;
  let receiver: RegExpMatchArray | null = null;
  while (!app || !receiver) {
    if (child.exitCode !== null || Date.now() - started > 30_000) throw new Error(`paylens serve did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    app = output.match(/Open the app:\s+(http:\/\/[^/]+)\/\?token=(\S+)/);
    receiver = output.match(/Webhook receiver:\s+(http:\/\/\S+)/);
  }
  const [, apiBase, token] = app;
  return {
    child,
    webhookUrl: `${receiver[1]}${endpointPath}`,
    async api<T>(method: string, input: unknown = {}) {
      const res = await fetch(`${apiBase}/api/${method}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(input),
      });
      const body = (await res.json()) as T & { error?: string };
      if (!res.ok) throw new Error(`${method}: ${body.error ?? res.status}`);
      return body;
    },
    peakRss() {
      const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? NaN) * 1024;
    },
    close: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/**
 * Posts signed payment events to the server, two at a time, until `running()` turns false;
 * resolves with each delivery's latency (ms) and how many were not answered 200.
 */
export async function deliverWhile(server: BuiltServer, running: () => boolean): Promise<{ latencies: number[]; failures: number }> {
  const latencies: number[] = [];
  let failures = 0;
  const poster = async () => {
    while (running()) {
      const event = makeEvent('payment_intent.succeeded', fixture('payment_intent', { id: `pi_${Math.random().toString(36).slice(2)}`, status: 'succeeded', metadata: { session_id: 'sess_1' } }));
      const body = JSON.stringify(event);
      const started = performance.now();
      const res = await fetch(server.webhookUrl, { method: 'POST', body, headers: { 'content-type': 'application/json', 'stripe-signature': sign(body, SECRET) } });
      await res.arrayBuffer();
      latencies.push(performance.now() - started);
      if (res.status !== 200) failures++;
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  await Promise.all([poster(), poster()]);
  return { latencies, failures };
}
