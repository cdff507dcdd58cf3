// Builds the demo store: sessions go through the importer as an export file, payments go
// through the real webhook receiver as signed deliveries over HTTP on 127.0.0.1.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import Stripe from 'stripe';
import type { Engine } from '../engine';
import { runImport } from '../sessions/import';
import { planDemo } from './plan';
import { seeded } from './random';

const CONCURRENCY = 8;
const COLUMNS = ['session_id', 'anonymous_id', 'time', 'path', 'referrer', 'utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content', 'country', 'region', 'city', 'device_type', 'browser_name', 'os_name'];

function laneOf(key: string): number {
  let h = 0;
  for (let i = 0; i < key.length; i++) h = (h * 31 + key.charCodeAt(i)) | 0;
  return Math.abs(h) % CONCURRENCY;
}

export interface DemoOptions {
  days: number;
  seed: number;
  /** Epoch seconds the demo's history ends at (default: start of today, UTC). */
  end?: number;
  /** Starts a webhook listener for the receiver on 127.0.0.1 (the server layer provides it). */
  listen: (receiver: Engine['receiver']) => Promise<{ url: string; close(): Promise<void> }>;
  onProgress?: (line: string) => void;
}

export interface DemoSummary {
  visitors: number;
  sessions: number;
  pageviews: number;
  payments: number;
  deliveries: number;
  failedDeliveries: number;
  endpoint: string;
}

export async function buildDemo(engine: Engine, options: DemoOptions): Promise<DemoSummary> {
  const say = options.onProgress ?? (() => {});
  const end = options.end ?? Math.floor(Date.now() / 86_400_000) * 86_400;
  const rng = seeded(options.seed);
  const plan = planDemo(rng, { days: options.days, end });

  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'paylens-demo-'));
  try {
    const file = path.join(folder, 'demo-pageviews.csv');
    fs.writeFileSync(file, stringify(plan.pageviews, { header: true, columns: COLUMNS }));
    say(`Importing ${plan.pageviews.length.toLocaleString()} pageviews (${plan.sessions.toLocaleString()} sessions)…`);
    await runImport(engine, { path: file, tz: 'UTC' });
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }

  const secret = rng.id('whsec_demo_', 32);
  const endpoint = engine.endpoints.create({ name: `demo-${options.seed}`, secret, mode: 'test', debug: false, clientIds: null });
  const listener = await options.listen(engine.receiver);
  let failed = 0;
  try {
    say(`Delivering ${plan.events.length.toLocaleString()} signed Stripe events to ${listener.url}${endpoint.path}…`);
    // One lane per group of keys keeps each payment's events in order while lanes run side by side.
    const lanes: Array<typeof plan.events> = Array.from({ length: CONCURRENCY }, () => []);
    for (const e of plan.events) lanes[laneOf(e.key)].push(e);
    const post = async (lane: typeof plan.events) => {
      for (const e of lane) {
        const payload = JSON.stringify(e.body);
        const res = await fetch(`${listener.url}${endpoint.path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload, secret }) },
          body: payload,
        });
        await res.arrayBuffer();
        if (res.status >= 300) failed++;
      }
    };
    await Promise.all(lanes.map(post));
  } finally {
    await listener.close();
  }
  return {
    visitors: plan.visitors,
    sessions: plan.sessions,
    pageviews: plan.pageviews.length,
    payments: plan.payments,
    deliveries: plan.events.length,
    failedDeliveries: failed,
    endpoint: endpoint.name,
  };
}
