// Out-of-order safety: a row is replaced only by a state that is not a step back.
// Terminal states are never left for a non-terminal one; otherwise the later event wins,
// and within the same second the further-along status wins.

type Ranks = Record<string, number>;
const TERMINAL = 100;

const RANKS: Record<string, Ranks> = {
  payment_intents: {
    requires_payment_method: 0, requires_confirmation: 1, requires_action: 2, processing: 3, requires_capture: 4,
    canceled: TERMINAL, succeeded: TERMINAL + 1,
  },
  charges: { pending: 0, failed: TERMINAL, succeeded: TERMINAL + 1 },
  refunds: { pending: 0, requires_action: 1, succeeded: TERMINAL, failed: TERMINAL, canceled: TERMINAL },
  disputes: {
    warning_needs_response: 0, warning_under_review: 1, needs_response: 2, under_review: 3,
    warning_closed: TERMINAL, won: TERMINAL, lost: TERMINAL,
  },
  checkout_sessions: { open: 0, expired: TERMINAL, complete: TERMINAL + 1 },
  subscriptions: {
    incomplete: 0, trialing: 1, active: 2, past_due: 3, unpaid: 4, paused: 4,
    incomplete_expired: TERMINAL, canceled: TERMINAL,
  },
  invoices: { draft: 0, open: 1, uncollectible: 2, void: TERMINAL, paid: TERMINAL + 1 },
  customers: {},
};

export type OrderedTable = keyof typeof RANKS;

interface Versioned {
  status?: string | null;
  event_created: number;
}

const rankOf = (table: OrderedTable, status: string | null | undefined) => RANKS[table][status ?? ''] ?? 0;

/** Whether `incoming` should become the row's state over `existing`. */
export function supersedes(table: OrderedTable, existing: Versioned, incoming: Versioned): boolean {
  const before = rankOf(table, existing.status);
  const after = rankOf(table, incoming.status);
  if (before >= TERMINAL && after < TERMINAL) return false;
  if (after >= TERMINAL && before < TERMINAL) return true;
  if (incoming.event_created !== existing.event_created) return incoming.event_created > existing.event_created;
  return after >= before;
}
