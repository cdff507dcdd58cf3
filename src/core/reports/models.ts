// Attribution models: each gives a payment's touchpoints weights that sum to 1, and
// money and counts are split into whole units that sum back exactly.
import type { AttributionModel } from '../../shared/api/reports';

const DAY_MS = 86_400_000;
export const HALF_LIFE_DAYS = 7;
/** Weights are stored as millionths so that weighted counts add up exactly. */
export const WEIGHT_SCALE = 1_000_000;

/** Weights of touchpoints ordered oldest first; `ages` in ms before the payment. */
export function modelWeights(model: AttributionModel, ages: number[]): number[] {
  const n = ages.length;
  if (n === 0) return [];
  if (n === 1) return [1];
  switch (model) {
    case 'last_touch':
      return ages.map((_, i) => (i === n - 1 ? 1 : 0));
    case 'first_touch':
      return ages.map((_, i) => (i === 0 ? 1 : 0));
    case 'linear':
      return ages.map(() => 1 / n);
    case 'position_based':
      if (n === 2) return [0.5, 0.5];
      return ages.map((_, i) => (i === 0 || i === n - 1 ? 0.4 : 0.2 / (n - 2)));
    case 'time_decay': {
      const raw = ages.map((age) => 2 ** (-Math.max(0, age) / (HALF_LIFE_DAYS * DAY_MS)));
      const sum = raw.reduce((a, b) => a + b, 0);
      return raw.map((w) => w / sum);
    }
  }
}

/**
 * Splits an integer total by weights into integers that sum to it exactly: floors first,
 * then the units left over go to the largest remainders (ties to the later touchpoint).
 */
export function splitWhole(total: number, weights: number[]): number[] {
  if (weights.length === 0) return [];
  if (total < 0) return splitWhole(-total, weights).map((v) => (v === 0 ? 0 : -v));
  const raw = weights.map((w) => Math.round(total * w * 1e6) / 1e6);
  const out = raw.map(Math.floor);
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = raw.map((r, i) => ({ i, frac: r - Math.floor(r) })).sort((a, b) => b.frac - a.frac || b.i - a.i);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) out[order[k].i]++;
  return out;
}
