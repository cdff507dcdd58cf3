// Local dates and times in report rows come from a per-hour offset cache; they must equal what
// Luxon gives for the zone itself, minute by minute across every offset change.
import { DateTime, IANAZone } from 'luxon';
import { describe, expect, it } from 'vitest';
import { localDate, localTime } from '../src/core/reports/local-time';

const HOUR = 3600;

const direct = (seconds: number, tz: string) => {
  const at = DateTime.fromSeconds(seconds, { zone: tz });
  return { time: at.toFormat("yyyy-MM-dd'T'HH:mm:ssZZ"), date: at.toISODate() };
};

/** Epoch seconds of the hours in `year` within which the zone's offset changes. */
function changes(tz: string, year: number): number[] {
  const zone = IANAZone.create(tz);
  const start = Date.UTC(year, 0, 1) / 1000;
  const end = Date.UTC(year + 1, 0, 1) / 1000;
  const found: number[] = [];
  for (let hour = start; hour < end; hour += HOUR) if (zone.offset(hour * 1000) !== zone.offset((hour + HOUR) * 1000)) found.push(hour);
  return found;
}

// Whole-hour, half-hour and 45-minute offsets, a half-hour DST shift, and changes at 00:01 local.
const ZONES: Array<[string, number]> = [
  ['America/New_York', 2026],
  ['America/St_Johns', 2026],
  ['Australia/Lord_Howe', 2026],
  ['Pacific/Chatham', 2026],
  ['Europe/London', 2026],
  ['Asia/Kathmandu', 2026],
  ['UTC', 2026],
  ['America/Goose_Bay', 2010],
];

describe('local dates and times of report rows', () => {
  it.each(ZONES)('match the zone itself in %s, minute by minute around each offset change of %i', (tz, year) => {
    const hours = changes(tz, year);
    if (!['Asia/Kathmandu', 'UTC'].includes(tz)) expect(hours.length).toBeGreaterThanOrEqual(2);
    const mismatches: string[] = [];
    const check = (seconds: number) => {
      const expected = direct(seconds, tz);
      const got = { time: localTime(seconds, tz), date: localDate(seconds, tz) };
      if (got.time !== expected.time || got.date !== expected.date) mismatches.push(`${seconds}: ${got.time} ${got.date}, expected ${expected.time} ${expected.date}`);
    };
    for (const hour of hours) for (let s = hour - 2 * HOUR; s <= hour + 3 * HOUR; s += 60) check(s);
    // And instants across the year, at odd seconds, in the order a report meets them.
    const start = Date.UTC(year, 0, 1) / 1000;
    for (let s = start + 7; s < start + 366 * 86_400; s += 7919) check(s);
    expect(mismatches.slice(0, 5)).toEqual([]);
  });

  it('the date turns at local midnight, not UTC midnight', () => {
    const midnight = DateTime.fromISO('2026-03-08T00:00:00', { zone: 'America/New_York' }).toSeconds();
    expect(localDate(midnight - 1, 'America/New_York')).toBe('2026-03-07');
    expect(localDate(midnight, 'America/New_York')).toBe('2026-03-08');
    expect(localTime(midnight + 3 * HOUR, 'America/New_York')).toBe('2026-03-08T04:00:00-04:00');
  });
});
