// Signature verification with the stripe package, on the raw bytes, with the reason
// for a failure in plain words.
import Stripe from 'stripe';

export const SIGNATURE_TOLERANCE_SECONDS = 300;

export type VerifyResult = { ok: true } | { ok: false; reason: string };

const utf8 = new TextDecoder('utf8');

/**
 * The body as text, decoded exactly as the stripe package decodes raw bytes before it
 * computes the signature; verifying this text then matches verifying the bytes, and the
 * receiver parses and stores the same text without decoding the body twice.
 */
export const bodyText = (rawBody: Uint8Array): string => utf8.decode(rawBody);

function reasonFor(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/tolerance/i.test(message)) return `timestamp too old (more than ${SIGNATURE_TOLERANCE_SECONDS} s)`;
  if (/matching the expected signature/i.test(message)) return 'signature does not match';
  // secureCompare: a `v1=` with nothing after it.
  if (/extract timestamp|expected scheme|No stripe-signature|secureCompare/i.test(message)) return 'header unparsable';
  if (/No webhook payload/i.test(message)) return 'empty body';
  return message.split('\n')[0] ?? 'unknown verification error';
}

/**
 * Verifies `header` against each secret (newest first) for `payload` (from bodyText). A match with a stale
 * timestamp reports the age; otherwise the first secret's reason is reported.
 * `receivedAt` (ms) lets a replay judge the timestamp against the original arrival.
 */
export function verifySignature(payload: string, header: string, secrets: string[], receivedAt: number): VerifyResult {
  const signature = Stripe.webhooks.signature;
  if (!signature) throw new Error('stripe package has no webhook signature support');
  let firstReason: string | undefined;
  for (const secret of secrets) {
    try {
      signature.verifyHeader(payload, header, secret, SIGNATURE_TOLERANCE_SECONDS, undefined, receivedAt);
      return { ok: true };
    } catch (error) {
      const reason = reasonFor(error);
      if (reason.startsWith('timestamp')) return { ok: false, reason };
      firstReason ??= reason;
    }
  }
  return { ok: false, reason: firstReason ?? 'no signing secret configured' };
}
