// Report ranges and calendar periods in a time zone. Days, ISO weeks (Monday) and months
// start at local midnight, so a period spans 23 or 25 hours across a daylight-saving change.
import { DateTime, IANAZone } from 'luxon';
import type { Interval } from '../../shared/api/reports';
import { UserError } from '../errors';

export interface ReportRange {
  /** Inclusive local dates as given (or defaulted). */
  from: string;
  to: string;
  tz: string;
  /** Epoch seconds: first instant of `from`, first instant after `to`. */
  start: number;
  end: number;
}

export interface Period {
  label: string;
  /** Epoch seconds, clipped to the range. */
  start: number;
  end: number;
}

export const DEFAULT_DAYS = 30;

export function machineZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

export function checkZone(tz: string | undefined): string {
  const zone = tz ?? machineZone();
  if (!IANAZone.isValidZone(zone)) throw new UserError(`tz: unknown time zone "${zone}" (use an IANA name such as Europe/Berlin)`);
  return zone;
}

function localDay(text: string, zone: string, field: string): DateTime {
  const day = DateTime.fromISO(text, { zone });
  if (!day.isValid) throw new UserError(`${field}: "${text}" is not a valid date`);
  return day.startOf('day');
}

/** Resolves from/to/tz; without dates, the last 30 days up to today in the zone. */
export function resolveRange(input: { from?: string; to?: string; tz?: string }, nowMs: number): ReportRange {
  const tz = checkZone(input.tz);
  const to = input.to ? localDay(input.to, tz, 'to') : DateTime.fromMillis(nowMs, { zone: tz }).startOf('day');
  const from = input.from ? localDay(input.from, tz, 'from') : to.minus({ days: DEFAULT_DAYS - 1 });
  if (from > to) throw new UserError(`from (${from.toISODate()}) is after to (${to.toISODate()})`);
  const end = to.plus({ days: 1 }).startOf('day');
  return { from: from.toISODate()!, to: to.toISODate()!, tz, start: Math.floor(from.toSeconds()), end: Math.floor(end.toSeconds()) };
}

const UNIT = { day: 'day', week: 'week', month: 'month' } as const;

export function periodLabel(at: DateTime, interval: Interval): string {
  if (interval === 'week') return `${at.weekYear}-W${String(at.weekNumber).padStart(2, '0')}`;
  if (interval === 'month') return at.toFormat('yyyy-MM');
  return at.toISODate()!;
}

const recent = new Map<string, Period[]>();
const RECENT_MAX = 32;

/** The range cut into calendar periods of the zone; the first and last may be partial. */
export function periods(range: ReportRange, interval: Interval): Period[] {
  // Calendar maths is the slow part of a warm report; the same range is asked for again and again.
  const key = `${range.start}:${range.end}:${range.tz}:${interval}`;
  const known = recent.get(key);
  if (known) return known;
  const out = cutPeriods(range, interval);
  if (recent.size >= RECENT_MAX) recent.delete(recent.keys().next().value!);
  recent.set(key, out);
  return out;
}

function cutPeriods(range: ReportRange, interval: Interval): Period[] {
  const unit = UNIT[interval];
  const out: Period[] = [];
  let cursor = DateTime.fromSeconds(range.start, { zone: range.tz }).startOf(unit);
  while (cursor.toSeconds() < range.end) {
    const next = cursor.plus({ [unit + 's']: 1 }).startOf(unit);
    out.push({
      label: periodLabel(cursor, interval),
      start: Math.max(range.start, Math.floor(cursor.toSeconds())),
      end: Math.min(range.end, Math.floor(next.toSeconds())),
    });
    cursor = next;
  }
  return out;
}

/** Index of the period holding epoch second `t`, or -1 outside them all. */
export function periodIndex(list: Period[], t: number): number {
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (t < list[mid].start) hi = mid - 1;
    else if (t >= list[mid].end) lo = mid + 1;
    else return mid;
  }
  return -1;
}
