// Local dates and times of instants, for report tables and CSV, which print one or two per
// row (tens of thousands on a large store). Luxon asks Intl for a zone's offset at every
// instant, the bulk of a large report's time; a zone's offset changes a few times a year,
// so it is asked once per hour of time and each row is formatted at that fixed offset.
import { DateTime, FixedOffsetZone, IANAZone } from 'luxon';

const HOUR = 3600;
const DAY = 86_400;
/** Bounds the caches: about 11 years of hours in one zone. */
const MAX_HOURS = 100_000;
/** Per zone: UTC hour → the zone's offset (minutes) throughout it, or null when it changes within that hour. */
const offsets = new Map<string, Map<number, number | null>>();
/** Per zone: local day number → its date text; many rows fall on the same few days. */
const dates = new Map<string, Map<number, string>>();

function offsetZone(seconds: number, tz: string): FixedOffsetZone {
  let hours = offsets.get(tz);
  if (!hours || hours.size >= MAX_HOURS) offsets.set(tz, (hours = new Map()));
  const hour = Math.floor(seconds / HOUR);
  let offset = hours.get(hour);
  if (offset === undefined) {
    const zone = IANAZone.create(tz);
    const first = zone.offset(hour * HOUR * 1000);
    // No zone changes its offset twice within an hour, so equal ends mean one offset throughout.
    offset = first === zone.offset(((hour + 1) * HOUR - 1) * 1000) ? first : null;
    hours.set(hour, offset);
  }
  return FixedOffsetZone.instance(offset ?? IANAZone.create(tz).offset(seconds * 1000));
}

/** Local date-time text of an epoch-seconds instant, with its offset: 2026-03-08T03:00:00-04:00. */
export function localTime(seconds: number, tz: string): string {
  return DateTime.fromSeconds(seconds, { zone: offsetZone(seconds, tz) }).toFormat("yyyy-MM-dd'T'HH:mm:ssZZ");
}

/** Local calendar date of an epoch-seconds instant: 2026-03-08. */
export function localDate(seconds: number, tz: string): string {
  const zone = offsetZone(seconds, tz);
  // At a fixed offset, the local date depends only on the local day number.
  const day = Math.floor((seconds + zone.offset(0) * 60) / DAY);
  let days = dates.get(tz);
  if (!days || days.size >= MAX_HOURS) dates.set(tz, (days = new Map()));
  let text = days.get(day);
  if (text === undefined) {
    text = DateTime.fromSeconds(seconds, { zone }).toISODate()!;
    days.set(day, text);
  }
  return text;
}
