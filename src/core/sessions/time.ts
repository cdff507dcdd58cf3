// Export times to epoch ms: ISO 8601 with or without zone, `YYYY-MM-DD HH:MM:SS[.fff]`
// (in `zone`, UTC by default), epoch seconds or milliseconds. Unparsable → null.
import { DateTime, IANAZone } from 'luxon';

// Local date-time with an optional zone suffix; covers nearly every row, so it skips luxon's general parser.
const LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|UTC|[+-]\d{2}(?::?\d{2})?)?$/i;
const EPOCH = /^-?\d{9,13}(?:\.\d+)?$/;
const MIN = Date.UTC(1990, 0, 1);
const MAX = Date.UTC(2200, 0, 1);

const daysIn = (year: number, month: number) => (month === 2 ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31);

export type TimeParser = (value: string | number) => number | null;

/** True when luxon knows the zone name (IANA, e.g. Europe/Berlin, or UTC). */
export const isValidZone = (zone: string) => zone.toUpperCase() === 'UTC' || IANAZone.isValidZone(zone);

export function createTimeParser(zone = 'UTC'): TimeParser {
  const utc = zone.toUpperCase() === 'UTC';
  // Offset of the zone per local hour, so a million rows cost a few hundred luxon look-ups.
  const offsets = new Map<string, number>();
  const offsetMinutes = (y: number, mo: number, d: number, h: number): number => {
    const key = `${y}-${mo}-${d}-${h}`;
    let offset = offsets.get(key);
    if (offset === undefined) {
      const local = DateTime.fromObject({ year: y, month: mo, day: d, hour: h }, { zone });
      offset = local.isValid ? local.offset : 0;
      if (offsets.size > 100_000) offsets.clear();
      offsets.set(key, offset);
    }
    return offset;
  };

  const inRange = (ms: number) => (Number.isFinite(ms) && ms >= MIN && ms < MAX ? Math.round(ms) : null);

  const fromEpoch = (n: number) => inRange(Math.abs(n) < 1e11 ? n * 1000 : n);

  return (value) => {
    if (typeof value === 'number') return fromEpoch(value);
    const text = value.trim();
    if (text === '') return null;
    if (EPOCH.test(text)) return fromEpoch(Number(text));
    const m = LOCAL.exec(text);
    if (m) {
      const [, y, mo, d, h = '0', mi = '0', s = '0', frac, suffix] = m;
      const ms = frac ? Math.floor(Number(`0.${frac}`) * 1000) : 0;
      const year = Number(y);
      const month = Number(mo);
      const day = Number(d);
      const hour = Number(h);
      // Date.UTC would roll Feb 30 over to Mar 2; such dates are not times.
      if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour > 23 || Number(mi) > 59 || Number(s) > 60) return null;
      const local = Date.UTC(year, month - 1, day, hour, Number(mi), Number(s), ms);
      if (suffix) {
        if (/^(Z|UTC)$/i.test(suffix)) return inRange(local);
        const sign = suffix[0] === '-' ? -1 : 1;
        const digits = suffix.slice(1).replace(':', '');
        const offset = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0');
        return inRange(local - sign * offset * 60_000);
      }
      return inRange(utc ? local : local - offsetMinutes(year, month, day, hour) * 60_000);
    }
    // Anything else ISO 8601, RFC 2822 or HTTP-style that luxon understands.
    for (const parse of [DateTime.fromISO, DateTime.fromRFC2822, DateTime.fromHTTP]) {
      const parsed = parse(text, { zone, setZone: true });
      if (parsed.isValid) return inRange(parsed.toMillis());
    }
    return null;
  };
}
