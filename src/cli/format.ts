import pc from 'picocolors';
import type { DeliverySummary } from '../shared/api/deliveries';

const time = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 19);

function statusColour(status: number) {
  const text = String(status);
  if (status < 300) return pc.green(text);
  if (status < 500) return pc.yellow(text);
  return pc.red(text);
}

/** One line per delivery, like `stripe listen`: time, status, event type, id, result. */
export function deliveryLine(d: DeliverySummary): string {
  const result = d.outcome === 'warning' ? pc.yellow(d.result) : d.status >= 300 ? pc.red(d.result) : pc.dim(d.result);
  return [
    pc.dim(time(d.receivedAt)),
    statusColour(d.status),
    (d.eventType ?? '-').padEnd(32),
    (d.eventId ?? '-').padEnd(30),
    result,
    d.replayOf ? pc.dim(`(replay of #${d.replayOf})`) : '',
  ]
    .join('  ')
    .trimEnd();
}

/** A plain text table: header row, aligned columns. */
export function table(rows: Array<Record<string, unknown>>, columns?: string[]): string {
  if (rows.length === 0) return '(none)';
  const keys = columns ?? Object.keys(rows[0]!);
  const cell = (v: unknown) => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));
  const widths = keys.map((k) => Math.max(k.length, ...rows.map((r) => cell(r[k]).length)));
  const line = (values: string[]) => values.map((v, i) => v.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(keys), line(widths.map((w) => '-'.repeat(w))), ...rows.map((r) => line(keys.map((k) => cell(r[k]))))].join('\n');
}
