// Test events built from Stripe's own example objects (../shared/fixtures/stripe/fixtures3.json),
// signed with the stripe package exactly as Stripe signs deliveries.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Stripe from 'stripe';

const FIXTURES_FILE = path.resolve(__dirname, '../../../shared/fixtures/stripe/fixtures3.json');
let cache: Record<string, Record<string, unknown>> | undefined;

/** A deep copy of Stripe's example object of this type (e.g. 'payment_intent', 'checkout.session'). */
export function fixture<T extends Record<string, unknown> = Record<string, unknown>>(type: string, overrides: Record<string, unknown> = {}): T {
  cache ??= (JSON.parse(fs.readFileSync(FIXTURES_FILE, 'utf8')) as { resources: Record<string, Record<string, unknown>> }).resources;
  const base = cache[type];
  if (!base) throw new Error(`No Stripe fixture for "${type}"`);
  return { ...structuredClone(base), ...overrides } as T;
}

export interface TestEvent {
  id: string;
  object: 'event';
  api_version: string;
  created: number;
  livemode: boolean;
  type: string;
  data: { object: Record<string, unknown> };
  pending_webhooks: number;
  request: { id: null; idempotency_key: null };
}

/** Wraps an object in an event envelope, as Stripe delivers it. */
export function makeEvent(type: string, object: Record<string, unknown>, options: { id?: string; created?: number; livemode?: boolean } = {}): TestEvent {
  return {
    id: options.id ?? `evt_${crypto.randomBytes(12).toString('hex')}`,
    object: 'event',
    api_version: '2025-09-30.clover',
    created: options.created ?? Math.floor(Date.now() / 1000),
    livemode: options.livemode ?? false,
    type,
    data: { object },
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
  };
}

export function sign(payload: string, secret: string, timestamp?: number): string {
  return Stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp });
}

export const TEST_SECRET = 'whsec_test_0123456789abcdefghijklmnop';
