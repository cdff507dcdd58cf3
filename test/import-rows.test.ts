import { afterEach, describe, expect, it } from 'vitest';
import { createTimeParser } from '../src/core/sessions/time';
import { importEnv, type ImportEnv } from './helpers/imports';

let env: ImportEnv;
afterEach(async () => env?.close());

describe('times', () => {
  const utc = createTimeParser();
  const berlin = createTimeParser('Europe/Berlin');
  const at = Date.parse('2025-07-01T12:34:56Z');

  it('reads ISO 8601 with a zone, whatever the zone', () => {
    expect(utc('2025-07-01T12:34:56Z')).toBe(at);
    expect(utc('2025-07-01T12:34:56.789Z')).toBe(at + 789);
    expect(utc('2025-07-01T14:34:56+02:00')).toBe(at);
    expect(utc('2025-07-01T07:34:56-0500')).toBe(at);
    expect(berlin('2025-07-01T12:34:56Z')).toBe(at);
  });

  it('reads times without a zone as UTC, or in --tz (with daylight saving)', () => {
    expect(utc('2025-07-01T12:34:56')).toBe(at);
    expect(utc('2025-07-01 12:34:56')).toBe(at);
    expect(utc('2025-07-01 12:34:56.5')).toBe(at + 500);
    expect(berlin('2025-07-01 14:34:56')).toBe(at); // CEST, +2
    expect(berlin('2025-01-15 13:00:00')).toBe(Date.parse('2025-01-15T12:00:00Z')); // CET, +1
    expect(createTimeParser('America/New_York')('2025-07-01 08:34:56')).toBe(at);
  });

  it('reads epoch seconds and milliseconds, as text or numbers', () => {
        expect(utc('1751373296')).toBe(at);
    expect(utc('1751373296000')).toBe(at);
    expect(utc(1751373296)).toBe(at);
    expect(utc(1751373296123)).toBe(at + 123);
  });

  it('refuses what is not a time', () => {
    for (const bad of ['', 'yesterday', '2025-02-30 10:00:00', '2025-13-01T00:00:00Z', '2025-07-01 25:00:00', '12345', 'NaN', '99999999999999']) expect(utc(bad), bad).toBeNull();
  });

  it('an import applies --tz to zone-less times only', async () => {
    env = await importEnv();
    const file = env.file('tz.csv', 'session_id,time\nlocal,2025-07-01 14:34:56\nzoned,2025-07-01T12:34:56Z\nepoch,1751373296\n');
    await env.run(file, { tz: 'Europe/Berlin' });
    expect(env.all('SELECT session_id, started_at FROM analytics_sessions ORDER BY session_id')).toEqual([
      { session_id: 'epoch', started_at: at },
      { session_id: 'local', started_at: at },
      { session_id: 'zoned', started_at: at },
    ]);
  });
});

describe('bad rows are rejected with line and reason; the rest is imported', () => {
  it('a CRLF file: a row is numbered by its first line, also after line breaks inside quotes', async () => {
    env = await importEnv();
    const lines = [
      'session_id,time,path,title', // 1
      's1,2025-01-01T00:00:00Z,/a,"two\r\nlines"', // 2-3 ok
      ',2025-01-01T00:01:00Z,/b,"no\r\nsession"', // 4-5 no session id
      's1,soon,/c,C', // 6 unparsable time
      's1,2025-01-01T00:02:00Z,/d', // 7 wrong column count
    ];
    await env.run(env.file('crlf.csv', `${lines.join('\r\n')}\r\n`));
    expect(env.all('SELECT line, reason FROM import_rejections ORDER BY line')).toEqual([
      { line: 4, reason: 'no session id' },
      { line: 6, reason: 'unparsable time "soon"' },
      { line: 7, reason: 'wrong column count: expected 4, found 3' },
    ]);
    expect(env.one('SELECT title FROM pageviews')).toEqual({ title: 'two\r\nlines' });
  });

  it('every kind of bad row in a CSV', async () => {
    env = await importEnv();
    const lines = [
      'session_id,anonymous_id,time,path,title', // 1
      's1,v1,2025-01-01T00:00:00Z,/a,"A, quoted title"', // 2 ok
      ',v1,2025-01-01T00:01:00Z,/b,B', // 3 no session id
      's1,v1,last tuesday,/c,C', // 4 unparsable time
      's1,v1,2025-01-01T00:02:00Z,/d', // 5 wrong column count (4)
      's1,v1,2025-01-01T00:03:00Z,/e,"broken"quote', // 6 text after closing quote
      's1,v1,2025-01-01T00:04:00Z,/f,"multi', // 7-8 ok: a quoted line break
      'line title"',
      's1,v1,2025-01-01T00:05:00Z,/g,"never closed', // 9 unclosed quote
      's2,v1,2025-01-01T00:06:00Z,/h,H', // 10 ok
      's2,v1,2025-01-01T00:07:00Z,/i,BAD_UTF8', // 11 invalid UTF-8
      's2,v1,2025-01-01T00:08:00Z,/j,J,extra', // 12 wrong column count (6)
      's2,v1,2025-01-01T00:09:00Z,/k,K', // 13 ok
    ];
    const text = `${lines.join('\n')}\n`;
    const [before, after] = text.split('BAD_UTF8');
    const file = env.file('bad.csv', Buffer.concat([Buffer.from(before!), Buffer.from([0x66, 0xff, 0xfe, 0x6f]), Buffer.from(after!)]));
    const summary = await env.run(file);
    expect(summary).toMatchObject({ status: 'completed', rowsRead: 11, imported: 4, rejected: 7 });
    const detail = env.all<{ line: number; reason: string; raw: string }>('SELECT line, reason, raw FROM import_rejections ORDER BY line');
    expect(detail.map((r) => [r.line, r.reason])).toEqual([
      [3, 'no session id'],
      [4, 'unparsable time "last tuesday"'],
      [5, 'wrong column count: expected 5, found 4'],
      [6, 'broken quoting: text follows a closing quote'],
      [9, 'broken quoting: a quoted field is never closed'],
      [11, 'invalid UTF-8'],
      [12, 'wrong column count: expected 5, found 6'],
    ]);
    expect(detail[1]!.raw).toContain('last tuesday');
    expect(env.all('SELECT path, title FROM pageviews ORDER BY time')).toEqual([
      { path: '/a', title: 'A, quoted title' },
      { path: '/f', title: 'multi\nline title' },
      { path: '/h', title: 'H' },
      { path: '/k', title: 'K' },
    ]);
    expect(env.one('SELECT pageviews, exit_path FROM analytics_sessions WHERE session_id = ?', 's1')).toEqual({ pageviews: 2, exit_path: '/f' });
  });

  it('bad NDJSON lines and JSON array items', async () => {
    env = await importEnv();
    const nd = env.file('e.ndjson', ['{"session_id":"a","time":1700000000}', '{"session_id":"a","time":', '[1,2]', '', '{"time":1700000001}', '{"session_id":"b","time":"soon"}', '{"session_id":"b","time":1700000002}'].join('\n'));
    expect(await env.run(nd)).toMatchObject({ rowsRead: 6, imported: 2, rejected: 4 });
    const id = env.one<{ id: number }>('SELECT max(id) AS id FROM imports').id;
    expect(env.all('SELECT line, unit, reason FROM import_rejections WHERE import_id = ? ORDER BY line', id)).toEqual([
      { line: 2, unit: 'line', reason: 'not valid JSON' },
      { line: 3, unit: 'line', reason: 'not a JSON object' },
      { line: 5, unit: 'line', reason: 'no session id' },
      { line: 6, unit: 'line', reason: 'unparsable time "soon"' },
    ]);
    const arr = env.file('e.json', '[{"session_id":"c","time":1700000000},"text",{"session_id":"","time":1},{"session_id":"c","time":1700000005}, {"session_id": oops');
    expect(await env.run(arr)).toMatchObject({ status: 'completed', imported: 2, rejected: 3 });
    const id2 = env.one<{ id: number }>('SELECT max(id) AS id FROM imports').id;
    const rejections = env.all<{ line: number; unit: string; reason: string }>('SELECT line, unit, reason FROM import_rejections WHERE import_id = ? ORDER BY line', id2);
    expect(rejections.slice(0, 2)).toEqual([
      { line: 2, unit: 'item', reason: 'not a JSON object' },
      { line: 3, unit: 'item', reason: 'no session id' },
    ]);
    expect(rejections[2]!.reason).toMatch(/^invalid JSON after item 4, reading stopped/);
  });

  it('keeps the first 100 rejections in detail and counts the rest', async () => {
    env = await importEnv();
    const rows = ['session_id,time'];
    for (let i = 0; i < 250; i++) rows.push(i % 2 ? `s${i},2025-01-01T00:00:00Z` : `s${i},not-a-time`);
    const summary = await env.run(env.file('many.csv', rows.join('\n')), { batchRows: 40 });
    expect(summary).toMatchObject({ rowsRead: 250, imported: 125, rejected: 125 });
    const kept = env.all<{ line: number }>('SELECT line FROM import_rejections ORDER BY line');
    expect(kept).toHaveLength(100);
    expect(kept[0]!.line).toBe(2);
    expect(kept[99]!.line).toBe(200);
  });

  it('a file whose every row is bad fails without sessions', async () => {
    env = await importEnv();
    const summary = await env.run(env.file('allbad.csv', 'session_id,time\n,2025-01-01\nx,never\n'));
    expect(summary).toMatchObject({ status: 'failed', error: 'None of the 2 rows could be imported', imported: 0, rejected: 2 });
    expect(env.one('SELECT count(*) AS n FROM analytics_sessions')).toEqual({ n: 0 });
  });
});
