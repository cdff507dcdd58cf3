import { afterEach, describe, expect, it } from 'vitest';
import { DATABUDDY_HEADER, databuddyRow, importEnv, type ImportEnv, zip } from './helpers/imports';

// Two sessions of one visitor; session a has a click between its pageviews and its UTM source only on the third row.
const EVENTS = [
  { id: 'e1', session: 'sess_a', time: '2025-03-01T10:00:00Z', path: '/home', referrer: 'https://www.google.com/search?q=x', title: 'Home' },
  { id: 'e2', session: 'sess_a', time: '2025-03-01T10:01:00Z', path: '/home', name: 'click' },
  { id: 'e3', session: 'sess_a', time: '2025-03-01T10:02:00Z', path: '/pricing', utm_source: 'newsletter', title: 'Pricing' },
  { id: 'e4', session: 'sess_b', time: '2025-03-02T09:00:00Z', path: '/blog', country: 'FR' },
];
const csv = (delimiter = ',') => [DATABUDDY_HEADER, ...EVENTS.map(databuddyRow)].map((l) => l.split(',').join(delimiter)).join('\n') + '\n';
const objects = () =>
  EVENTS.map((e) => ({ id: e.id, session_id: e.session, anonymous_id: 'anon_1', time: e.time, event_name: e.name ?? 'screen_view', path: e.path, referrer: e.referrer ?? '', utm_source: e.utm_source ?? null, country: e.country ?? 'DE', title: e.title }));

let env: ImportEnv;
afterEach(async () => env?.close());

function expectSessions(e: ImportEnv) {
  const a = e.one('SELECT * FROM analytics_sessions WHERE session_id = ?', 'sess_a');
  expect(a).toMatchObject({
    anonymous_id: 'anon_1',
    started_at: Date.parse('2025-03-01T10:00:00Z'),
    ended_at: Date.parse('2025-03-01T10:02:00Z'),
    duration_ms: 120_000,
    landing_path: '/home',
    exit_path: '/pricing',
    pageviews: 2,
    events: 3,
    referrer: 'https://www.google.com/search?q=x',
    referrer_domain: 'google.com',
    utm_source: 'newsletter',
    country: 'DE',
  });
  expect(e.one('SELECT country, pageviews, events FROM analytics_sessions WHERE session_id = ?', 'sess_b')).toEqual({ country: 'FR', pageviews: 1, events: 1 });
  expect(e.all('SELECT * FROM visitors')).toEqual([{ anonymous_id: 'anon_1', first_seen_at: Date.parse('2025-03-01T10:00:00Z'), last_seen_at: Date.parse('2025-03-02T09:00:00Z'), sessions: 2 }]);
  expect(e.all('SELECT time, path, title, event_name FROM pageviews WHERE session_id = ? ORDER BY time', 'sess_a')).toEqual([
    { time: Date.parse('2025-03-01T10:00:00Z'), path: '/home', title: 'Home', event_name: 'screen_view' },
    { time: Date.parse('2025-03-01T10:01:00Z'), path: '/home', title: null, event_name: 'click' },
    { time: Date.parse('2025-03-01T10:02:00Z'), path: '/pricing', title: 'Pricing', event_name: 'screen_view' },
  ]);
}

describe('each export format builds the same sessions', () => {
  it('a Databuddy ZIP with events.csv and metadata.json', async () => {
    env = await importEnv();
    const file = env.file('export.zip', await zip({ 'metadata.json': JSON.stringify({ website: 'shop', rows: 4 }), 'events.csv': csv() }));
    const summary = await env.run(file);
    expect(summary).toMatchObject({ status: 'completed', format: 'databuddy zip/csv', rowsRead: 4, imported: 4, rejected: 0, sessions: 2, visitors: 1 });
    expectSessions(env);
  });

  it('a Databuddy ZIP holding events.json or events.txt', async () => {
    env = await importEnv();
    const json = env.file('a.zip', await zip({ 'metadata.json': '{}', 'export/events.json': JSON.stringify(objects()) }));
    expect(await env.run(json)).toMatchObject({ status: 'completed', format: 'databuddy zip/json', imported: 4 });
    expectSessions(env);
    const env2 = await importEnv();
    try {
      const txt = env2.file('b.zip', await zip({ 'events.txt': csv('\t'), 'metadata.json': '{}' }));
      expect(await env2.run(txt)).toMatchObject({ status: 'completed', format: 'databuddy zip/tsv', imported: 4 });
      expectSessions(env2);
    } finally {
      await env2.close();
    }
  });

  it('the inner events.csv, events.json and events.txt on their own', async () => {
    for (const [name, content, format] of [
      ['events.csv', csv(), 'databuddy/csv'],
      ['events.txt', csv('\t'), 'databuddy/tsv'],
      ['events.json', JSON.stringify(objects()), 'events/json'],
    ] as const) {
      const e = await importEnv();
      try {
        expect(await e.run(e.file(name, content))).toMatchObject({ status: 'completed', format, imported: 4 });
        expectSessions(e);
      } finally {
        await e.close();
      }
    }
  });

  it('generic CSV, TSV, NDJSON, JSON array and wrapped JSON with synonym headers', async () => {
    const rows = objects().map((o) => ({ sessionId: o.session_id, anonId: o.anonymous_id, timestamp: o.time, event: o.event_name, pathname: o.path, referer: o.referrer, utmSource: o.utm_source ?? '', country: o.country, title: o.title ?? '' }));
    const keys = Object.keys(rows[0]!);
    const delimited = (d: string) => [keys.join(d), ...rows.map((r) => keys.map((k) => (r as Record<string, string>)[k]).join(d))].join('\r\n');
    for (const [name, content, format] of [
      ['a.csv', delimited(','), 'events/csv'],
      ['a.tsv', delimited('\t'), 'events/tsv'],
      ['a.ndjson', rows.map((r) => JSON.stringify(r)).join('\n'), 'events/ndjson'],
      ['a.json', JSON.stringify(rows, null, 2), 'events/json'],
      ['b.json', JSON.stringify({ exportedAt: 'now', events: rows }), 'events/json'],
    ] as const) {
      const e = await importEnv();
      try {
        expect(await e.run(e.file(name, content)), name).toMatchObject({ status: 'completed', format, imported: 4 });
        // Without ids the row key is a hash, so the same rows still dedupe.
        expect(await e.run(e.file(name, content)), name).toMatchObject({ imported: 0, duplicates: 4 });
        expectSessions(e);
      } finally {
        await e.close();
      }
    }
  });

  it('did / did_session and sid / visitor_id synonyms', async () => {
    env = await importEnv();
    const file = env.file('t.csv', 'did_session,did,created_at,page\ns1,v1,2025-01-01T00:00:00Z,/x\nsid_not_a_header,v2,2025-01-01T00:00:00Z,/y\n');
    expect(await env.run(file)).toMatchObject({ imported: 2 });
    expect(env.all('SELECT session_id, anonymous_id, landing_path FROM analytics_sessions ORDER BY session_id')).toEqual([
      { session_id: 's1', anonymous_id: 'v1', landing_path: '/x' },
      { session_id: 'sid_not_a_header', anonymous_id: 'v2', landing_path: '/y' },
    ]);
  });

  it('--map names columns the synonyms do not know', async () => {
    env = await importEnv();
    const file = env.file('m.csv', 'Visit,Person,When,Page\nv-1,p-1,1735689600,/a\nv-1,p-1,1735689660,/b\n');
    await expect(env.run(file)).rejects.toThrow(/session id column/);
    expect(await env.run(file, { map: { session_id: 'Visit', anonymous_id: 'Person', time: 'When', path: 'Page' } })).toMatchObject({ imported: 2, sessions: 1, visitors: 1 });
    expect(env.one('SELECT started_at, exit_path, anonymous_id FROM analytics_sessions')).toEqual({ started_at: 1735689600000, exit_path: '/b', anonymous_id: 'p-1' });
    await expect(env.run(file, { map: { session_id: 'Nope' } })).rejects.toThrow(/no column "Nope"/);
    await expect(env.run(file, { map: { colour: 'Visit' } })).rejects.toThrow(/unknown field "colour"/);
  });

  it('a sessions export: one row per session, re-import changes nothing', async () => {
    env = await importEnv();
    const file = env.file(
      'sessions.csv',
      'session_id,visitor_id,started_at,ended_at,landing_page,exit_page,pageviews,referrer,utm_campaign\n' +
        's1,v1,2025-05-01 10:00:00,2025-05-01 10:05:00,/start,/end,4,https://www.bing.com/,spring\n' +
        's2,v1,2025-05-02 10:00:00,,/other,,1,,\n',
    );
    expect(await env.run(file)).toMatchObject({ status: 'completed', format: 'sessions/csv', imported: 2, sessions: 2, visitors: 1 });
    expect(env.one('SELECT * FROM analytics_sessions WHERE session_id = ?', 's1')).toMatchObject({
      anonymous_id: 'v1',
      started_at: Date.parse('2025-05-01T10:00:00Z'),
      ended_at: Date.parse('2025-05-01T10:05:00Z'),
      landing_path: '/start',
      exit_path: '/end',
      pageviews: 4,
      referrer_domain: 'bing.com',
      utm_campaign: 'spring',
    });
    expect(env.one('SELECT sessions FROM visitors WHERE anonymous_id = ?', 'v1')).toEqual({ sessions: 2 });
    const before = env.all('SELECT * FROM analytics_sessions ORDER BY session_id').map((r) => ({ ...r, last_import_id: 0 }));
    expect(await env.run(file)).toMatchObject({ imported: 0, duplicates: 2, sessions: 0 });
    expect(env.all('SELECT * FROM analytics_sessions ORDER BY session_id').map((r) => ({ ...r, last_import_id: 0 }))).toEqual(before);
  });

  it('--format sessions reads an export whose only time column is "time"', async () => {
    env = await importEnv();
    const file = env.file('s.ndjson', '{"session_id":"s9","time":"2025-01-01T00:00:00Z","duration":90,"pageviews":3}\n');
    expect(await env.run(file, { format: 'sessions' })).toMatchObject({ format: 'sessions/ndjson', imported: 1 });
    expect(env.one('SELECT duration_ms, pageviews FROM analytics_sessions')).toEqual({ duration_ms: 90_000, pageviews: 3 });
  });
});

describe('files that are not an export are refused before anything is written', () => {
  const cases: Array<[string, string | Buffer | (() => Promise<Buffer>), RegExp]> = [
    ['notes.txt', 'Dear diary,\nnothing here\n', /no session id column/],
    ['image.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48]), /binary file/],
    ['empty.csv', '', /file is empty/],
    ['times.csv', 'session_id,colour\ns1,red\n', /no time column/],
    ['list.json', '[1, 2, 3]', /no header or field names/],
    ['other.zip', () => zip({ 'readme.md': '# hi' }), /the ZIP holds readme\.md/],
    ['words.dat', 'justoneword\n', /neither JSON nor delimited text/],
  ];
  for (const [name, content, message] of cases) {
    it(`refuses ${name}`, async () => {
      env = await importEnv();
      const file = env.file(name, typeof content === 'function' ? await content() : content);
      const error = await env.run(file).then(
        () => null,
        (e: Error) => e,
      );
      expect(error?.name).toBe('UserError');
      expect(error?.message).toMatch(message);
      expect(error?.message).toMatch(/expected a Databuddy export/);
      expect(env.one('SELECT (SELECT count(*) FROM imports) + (SELECT count(*) FROM pageviews) + (SELECT count(*) FROM analytics_sessions) AS n')).toEqual({ n: 0 });
    });
  }

  it('refuses a missing file and an unknown time zone', async () => {
    env = await importEnv();
    await expect(env.run(`${env.dir}/nope.csv`)).rejects.toThrow(/no such file/);
    await expect(env.run(env.file('a.csv', 'session_id,time\ns,1\n'), { tz: 'Mars/Olympus' })).rejects.toThrow(/Unknown time zone "Mars\/Olympus"/);
    expect(env.one('SELECT count(*) AS n FROM imports')).toEqual({ n: 0 });
  });
});
