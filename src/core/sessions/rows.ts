// One export row → one stored event (events exports) or one session (session exports),
// or the reason it is rejected.
import crypto from 'node:crypto';
import { ATTRIBUTES, type ColumnMap, type Field } from './fields';
import type { RawRow } from './source';
import type { TimeParser } from './time';

export { ATTRIBUTES };
export type Attributes = Array<string | null>;

/** [row_key, session_id, time ms, event_name, path, title, 1 when a pageview]. */
export type EventRow = [string, string, number, string, string | null, string | null, 0 | 1];

export interface SessionRow {
  sessionId: string;
  anonymousId: string | null;
  clientId: string | null;
  startedAt: number;
  endedAt: number;
  landingPath: string | null;
  exitPath: string | null;
  pageviews: number;
  events: number;
  attributes: Attributes;
}

const PAGEVIEW_NAMES = new Set(['', 'pageview', 'page_view', 'page view', 'screen_view', '$pageview', 'page']);

export type Mapped<T> = { ok: true; value: T } | { ok: false; reason: string };

const text = (value: string | number | null | undefined): string => (value === null || value === undefined ? '' : typeof value === 'number' ? String(value) : value.trim());

/** The path of a URL-ish value: `/a/b` stays, `https://x.com/a?q` → `/a`. */
export function pathOf(value: string): string | null {
  if (value === '') return null;
  if (value.startsWith('/')) return value;
  try {
    return new URL(value).pathname || '/';
  } catch {
    return value;
  }
}

/** Host of a referrer without `www.`; null when it is not a URL. */
export function referrerDomain(referrer: string | null): string | null {
  if (!referrer) return null;
  try {
    const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(referrer) ? referrer : `https://${referrer}`);
    return url.hostname.replace(/^www\./i, '') || null;
  } catch {
    return null;
  }
}

export interface RowMapper {
  event(row: RawRow): Mapped<{ event: EventRow; anonymousId: string | null; clientId: string | null; attributes: Attributes }>;
  session(row: RawRow): Mapped<SessionRow>;
}

export function createRowMapper(columns: ColumnMap, parseTime: TimeParser): RowMapper {
  const col = (field: Field) => columns[field] ?? -1;
  const idCol = col('id');
  const sessionCol = col('session_id');
  const anonCol = col('anonymous_id');
  const clientCol = col('client_id');
  const timeCol = col('time');
  const nameCol = col('event_name');
  const pathCol = col('path');
  const urlCol = col('url');
  const titleCol = col('title');
  const attributeCols = ATTRIBUTES.map(col);
  const get = (values: RawRow['values'], index: number) => (index < 0 ? '' : text(values[index]));
  const orNull = (value: string) => (value === '' ? null : value);

  const check = (values: RawRow['values']): string | null => {
    for (const value of values) if (typeof value === 'string' && value.includes('\uFFFD')) return 'invalid UTF-8';
    return null;
  };
  const timeOf = (values: RawRow['values'], index: number, name: string): Mapped<number> => {
    const raw = index < 0 ? undefined : values[index];
    if (raw === null || raw === undefined || (typeof raw === 'string' && raw.trim() === '')) return { ok: false, reason: `no ${name}` };
    const ms = parseTime(raw);
    return ms === null ? { ok: false, reason: `unparsable ${name} "${String(raw).slice(0, 60)}"` } : { ok: true, value: ms };
  };
  const attributesOf = (values: RawRow['values']): Attributes => attributeCols.map((i) => orNull(get(values, i)));
  const pathFrom = (values: RawRow['values']) => pathOf(get(values, pathCol)) ?? pathOf(get(values, urlCol));

  return {
    event({ values }) {
      const bad = check(values);
      if (bad) return { ok: false, reason: bad };
      const sessionId = get(values, sessionCol);
      if (sessionId === '') return { ok: false, reason: 'no session id' };
      const time = timeOf(values, timeCol, 'time');
      if (!time.ok) return time;
      const name = get(values, nameCol);
      const path = pathFrom(values);
      const id = get(values, idCol);
      const key = id !== '' ? `i:${id}` : `h:${crypto.createHash('sha1').update(`${sessionId}\u001f${time.value}\u001f${name}\u001f${path ?? ''}`).digest('base64')}`;
      return {
        ok: true,
        value: {
          event: [key, sessionId, time.value, name || 'pageview', path, orNull(get(values, titleCol)), PAGEVIEW_NAMES.has(name.toLowerCase()) ? 1 : 0],
          anonymousId: orNull(get(values, anonCol)),
          clientId: orNull(get(values, clientCol)),
          attributes: attributesOf(values),
        },
      };
    },
    session({ values }) {
      const bad = check(values);
      if (bad) return { ok: false, reason: bad };
      const sessionId = get(values, sessionCol);
      if (sessionId === '') return { ok: false, reason: 'no session id' };
      const started = timeOf(values, col('started_at') >= 0 ? col('started_at') : timeCol, 'start time');
      if (!started.ok) return started;
      let endedAt = started.value;
      if (col('ended_at') >= 0 && get(values, col('ended_at')) !== '') {
        const ended = timeOf(values, col('ended_at'), 'end time');
        if (!ended.ok) return ended;
        endedAt = ended.value;
      } else if (col('duration') >= 0 && get(values, col('duration')) !== '') {
        const seconds = Number(get(values, col('duration')));
        if (!Number.isFinite(seconds) || seconds < 0) return { ok: false, reason: `unparsable duration "${get(values, col('duration')).slice(0, 60)}"` };
        endedAt = started.value + Math.round(seconds * 1000);
      }
      const count = (field: Field, fallback: number) => {
        const n = Number(get(values, col(field)) || fallback);
        return Number.isFinite(n) && n >= 0 ? Math.floor(n) : fallback;
      };
      const landing = pathOf(get(values, col('landing_path'))) ?? pathFrom(values);
      const pageviews = count('pageviews', landing ? 1 : 0);
      return {
        ok: true,
        value: {
          sessionId,
          anonymousId: orNull(get(values, anonCol)),
          clientId: orNull(get(values, clientCol)),
          startedAt: started.value,
          endedAt: Math.max(endedAt, started.value),
          landingPath: landing,
          exitPath: pathOf(get(values, col('exit_path'))) ?? landing,
          pageviews,
          events: Math.max(count('events', pageviews), pageviews),
          attributes: attributesOf(values),
        },
      };
    },
  };
}
