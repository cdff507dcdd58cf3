// Writes one batch in one transaction: pageviews (new ones only), the sessions they
// belong to, the visitors of those sessions, rejections and the import's counts.
// A pageview is counted into its session only when it was newly inserted, so
// re-imports change nothing and overlapping exports merge.
import type { Statement } from 'better-sqlite3';
import type { Store } from '../db/store';
import type { Batch, EventBatch, SessionBatch } from './batch';
import { ATTRIBUTES, type EventRow, referrerDomain } from './rows';

const ATTRIBUTE_COLUMNS = [...ATTRIBUTES, 'referrer_domain'] as const;
const S = 'analytics_sessions';
const PAGEVIEWS_PER_STATEMENT = 100;

/** First non-empty value in time order: the earlier block of rows wins, the other fills gaps. */
const firstNonEmpty = (c: string) =>
  `${c} = CASE WHEN excluded.started_at < ${S}.started_at THEN coalesce(excluded.${c}, ${S}.${c}) ELSE coalesce(${S}.${c}, excluded.${c}) END`;
// The domain follows whichever referrer was kept.
const domainRule = `referrer_domain = CASE WHEN (excluded.started_at < ${S}.started_at AND excluded.referrer IS NOT NULL) OR ${S}.referrer IS NULL THEN excluded.referrer_domain ELSE ${S}.referrer_domain END`;

const INSERT_COLUMNS = [
  'session_id',
  'anonymous_id',
  'client_id',
  'started_at',
  'ended_at',
  'landing_path',
  'landing_at',
  'exit_path',
  'exit_at',
  'pageviews',
  'events',
  ...ATTRIBUTE_COLUMNS,
  'first_import_id',
  'last_import_id',
];
const INSERT = `INSERT INTO ${S} (${INSERT_COLUMNS.join(', ')}) VALUES (${INSERT_COLUMNS.map(() => '?').join(', ')}) ON CONFLICT(session_id) DO UPDATE SET`;

const COMMON_SET = [
  firstNonEmpty('anonymous_id'),
  firstNonEmpty('client_id'),
  ...ATTRIBUTES.map(firstNonEmpty),
  domainRule,
  `started_at = min(${S}.started_at, excluded.started_at)`,
  `ended_at = max(${S}.ended_at, excluded.ended_at)`,
  `landing_path = CASE WHEN excluded.landing_at IS NOT NULL AND (${S}.landing_at IS NULL OR excluded.landing_at < ${S}.landing_at) THEN excluded.landing_path ELSE ${S}.landing_path END`,
  `landing_at = CASE WHEN excluded.landing_at IS NOT NULL AND (${S}.landing_at IS NULL OR excluded.landing_at < ${S}.landing_at) THEN excluded.landing_at ELSE ${S}.landing_at END`,
  `exit_path = CASE WHEN excluded.exit_at IS NOT NULL AND (${S}.exit_at IS NULL OR excluded.exit_at >= ${S}.exit_at) THEN excluded.exit_path ELSE ${S}.exit_path END`,
  `exit_at = CASE WHEN excluded.exit_at IS NOT NULL AND (${S}.exit_at IS NULL OR excluded.exit_at >= ${S}.exit_at) THEN excluded.exit_at ELSE ${S}.exit_at END`,
  `last_import_id = excluded.last_import_id`,
];

// Events add up; a session export row states totals, so the larger one is kept and an
// unchanged row is no change at all.
const EVENT_UPSERT = `${INSERT} ${[...COMMON_SET, `pageviews = ${S}.pageviews + excluded.pageviews`, `events = ${S}.events + excluded.events`].join(', ')}`;
const SESSION_UPSERT = `${INSERT} ${[...COMMON_SET, `pageviews = max(${S}.pageviews, excluded.pageviews)`, `events = max(${S}.events, excluded.events)`].join(', ')}
  WHERE excluded.started_at < ${S}.started_at OR excluded.ended_at > ${S}.ended_at OR excluded.pageviews > ${S}.pageviews
     OR excluded.events > ${S}.events OR (${S}.anonymous_id IS NULL AND excluded.anonymous_id IS NOT NULL)
     OR (${S}.landing_path IS NULL AND excluded.landing_path IS NOT NULL)
     OR (${S}.referrer IS NULL AND excluded.referrer IS NOT NULL) OR (${S}.utm_source IS NULL AND excluded.utm_source IS NOT NULL)`;

const VISITOR = `INSERT INTO visitors (anonymous_id, first_seen_at, last_seen_at, sessions)
  SELECT anonymous_id, min(started_at), max(ended_at), count(*) FROM ${S} WHERE anonymous_id = ? GROUP BY anonymous_id
  ON CONFLICT(anonymous_id) DO UPDATE SET first_seen_at = excluded.first_seen_at, last_seen_at = excluded.last_seen_at, sessions = excluded.sessions`;

export interface BatchResult {
  rowsRead: number;
  imported: number;
  duplicates: number;
  rejected: number;
}

interface Aggregate {
  first: number;
  last: number;
  landingAt: number | null;
  landingPath: string | null;
  exitAt: number | null;
  exitPath: string | null;
  pageviews: number;
  events: number;
}

export function createBatchWriter(store: Store, importId: number) {
  const { sqlite } = store;
  const statements = new Map<string, Statement>();
  const prepare = (text: string) => {
    let statement = statements.get(text);
    if (!statement) statements.set(text, (statement = sqlite.prepare(text)));
    return statement;
  };
  const eventUpsert = prepare(EVENT_UPSERT);
  const sessionUpsert = prepare(SESSION_UPSERT);
  const visitor = prepare(VISITOR);
  const rejection = prepare('INSERT INTO import_rejections (import_id, line, unit, reason, raw) VALUES (?, ?, ?, ?, ?)');
  // Referrers repeat across sessions; parsing each URL once saves most of the URL work.
  const domains = new Map<string, string | null>();
  const domainOf = (referrer: string | null) => {
    if (!referrer) return null;
    let domain = domains.get(referrer);
    if (domain === undefined) {
      if (domains.size >= 10_000) domains.clear();
      domains.set(referrer, (domain = referrerDomain(referrer)));
    }
    return domain;
  };
  const counts = prepare('UPDATE imports SET rows_read = rows_read + ?, imported = imported + ?, duplicates = duplicates + ?, rejected = rejected + ? WHERE id = ?');

  // Pageviews go in 100 per statement; when some of them were already stored, the rowids
  // above the table's last one before the statement tell which rows were new.
  const PAGEVIEW_COLUMNS = 'INSERT OR IGNORE INTO pageviews (session_id, time, event_name, path, title, row_key) VALUES ';
  const insertPageview = prepare(`${PAGEVIEW_COLUMNS}(?, ?, ?, ?, ?, ?)`);
  const insertPageviews = prepare(`${PAGEVIEW_COLUMNS}${Array(PAGEVIEWS_PER_STATEMENT).fill('(?, ?, ?, ?, ?, ?)').join(', ')}`);
  const lastPageviewId = prepare('SELECT max(id) FROM pageviews').pluck();
  const keysAfter = prepare('SELECT row_key FROM pageviews WHERE id > ?').pluck();
  const params: unknown[] = new Array(PAGEVIEWS_PER_STATEMENT * 6);

  /** Inserts events[from, to) and returns which of them were new (all when `null`). */
  const insertChunk = (events: EventRow[], from: number, to: number): boolean[] | null => {
    if (to - from < PAGEVIEWS_PER_STATEMENT) return events.slice(from, to).map(([key, sessionId, time, name, path, title]) => insertPageview.run(sessionId, time, name, path, title, key).changes > 0);
    const before = lastPageviewId.get() as number | null;
    let p = 0;
    for (let i = from; i < to; i++) {
      const e = events[i]!;
      params[p++] = e[1];
      params[p++] = e[2];
      params[p++] = e[3];
      params[p++] = e[4];
      params[p++] = e[5];
      params[p++] = e[0];
    }
    if (insertPageviews.run(params).changes === to - from) return null;
    const added = new Set(keysAfter.all(before ?? 0) as string[]);
    // The first row with a new key inserted it; a repeat of the key in the same statement did not.
    return events.slice(from, to).map(([key]) => added.delete(key));
  };

  const writeEvents = (batch: EventBatch, visitors: Set<string>): [number, number] => {
    const aggregates = new Map<string, Aggregate>();
    const { events } = batch;
    let imported = 0;
    for (let from = 0; from < events.length; from += PAGEVIEWS_PER_STATEMENT) {
      const to = Math.min(from + PAGEVIEWS_PER_STATEMENT, events.length);
      const inserted = insertChunk(events, from, to);
      for (let i = from; i < to; i++) {
        if (inserted && !inserted[i - from]) continue;
        const [, sessionId, time, , path, , pageview] = events[i]!;
        imported++;
        let a = aggregates.get(sessionId);
        if (!a) aggregates.set(sessionId, (a = { first: time, last: time, landingAt: null, landingPath: null, exitAt: null, exitPath: null, pageviews: 0, events: 0 }));
        if (time < a.first) a.first = time;
        if (time > a.last) a.last = time;
        a.events++;
        if (pageview) {
          a.pageviews++;
          if (path !== null && (a.landingAt === null || time < a.landingAt)) [a.landingAt, a.landingPath] = [time, path];
          if (path !== null && (a.exitAt === null || time >= a.exitAt)) [a.exitAt, a.exitPath] = [time, path];
        }
      }
    }
    for (const part of batch.sessions) {
      const a = aggregates.get(part.sessionId);
      if (!a) continue; // every row of it was already stored
      const attrs = part.attributes;
      eventUpsert.run(part.sessionId, part.anonymousId, part.clientId, a.first, a.last, a.landingPath, a.landingAt, a.exitPath, a.exitAt, a.pageviews, a.events, ...attrs, domainOf(attrs[0] ?? null), importId, importId);
      if (part.anonymousId) visitors.add(part.anonymousId);
    }
    return [imported, events.length - imported];
  };

  const writeSessions = (batch: SessionBatch, visitors: Set<string>): [number, number] => {
    let imported = 0;
    for (const s of batch.sessions) {
      const changed = sessionUpsert.run(s.sessionId, s.anonymousId, s.clientId, s.startedAt, s.endedAt, s.landingPath, s.landingPath ? s.startedAt : null, s.exitPath, s.exitPath ? s.endedAt : null, s.pageviews, s.events, ...s.attributes, domainOf(s.attributes[0] ?? null), importId, importId).changes;
      if (changed === 0) continue;
      imported++;
      if (s.anonymousId) visitors.add(s.anonymousId);
    }
    return [imported, batch.sessions.length - imported];
  };

  return {
    /** Commits the whole batch or nothing. */
    write(batch: Batch): BatchResult {
      // One fsync per batch is not needed for rows that can be imported again; commits of others keep their own setting.
      const synchronous = sqlite.pragma('synchronous', { simple: true }) as number;
      sqlite.pragma('synchronous = NORMAL');
      try {
        // IMMEDIATE takes the write lock first: the batch reads (max pageview id) before it writes, and
        // a deferred transaction would fail with SQLITE_BUSY_SNAPSHOT if another connection committed.
        return sqlite.transaction(() => {
          const visitors = new Set<string>();
          const [imported, duplicates] = batch.kind === 'events' ? writeEvents(batch, visitors) : writeSessions(batch, visitors);
          for (const id of visitors) visitor.run(id);
          for (const r of batch.rejections) rejection.run(importId, r.line, r.unit, r.reason, r.raw);
          counts.run(batch.rowsRead, imported, duplicates, batch.rejected, importId);
          return { rowsRead: batch.rowsRead, imported, duplicates, rejected: batch.rejected };
        }).immediate();
      } finally {
        sqlite.pragma(`synchronous = ${synchronous}`);
      }
    },
  };
}
