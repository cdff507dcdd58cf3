// `paylens import` through the BUILT binary (npm run build), the worker thread bundle included.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, paylens } from './helpers/cli';
import { DATABUDDY_HEADER, databuddyRow, zip } from './helpers/imports';
import { tempDir } from './helpers/server';

beforeAll(() => assertBuilt());

describe('paylens import', () => {
  it('imports a Databuddy ZIP, prints the JSON summary, and a re-import adds nothing', async () => {
    const dir = tempDir();
    const rows = [DATABUDDY_HEADER];
    for (let i = 0; i < 500; i++) rows.push(databuddyRow({ id: `e${i}`, session: `s${Math.floor(i / 5)}`, anon: `a${Math.floor(i / 10)}`, time: new Date(Date.UTC(2025, 0, 1) + i * 1000).toISOString(), path: `/p${i % 5}` }));
    rows.push(databuddyRow({ id: 'bad', session: '', time: '2025-01-01T00:00:00Z' }));
    const file = path.join(dir, 'export.zip');
    fs.writeFileSync(file, await zip({ 'events.csv': rows.join('\n'), 'metadata.json': '{"source":"databuddy"}' }));

    const first = paylens(dir, ['import', file, '--json', '--data-dir', path.join(dir, 'data')]);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    const summary = JSON.parse(first.stdout) as Record<string, unknown>;
    expect(summary).toMatchObject({ status: 'completed', format: 'databuddy zip/csv', rowsRead: 501, imported: 500, rejected: 1, sessions: 100, visitors: 50 });
    expect(typeof summary.seconds).toBe('number');

    const again = paylens(dir, ['import', file, '--data-dir', path.join(dir, 'data')]);
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/^Imported 0 new of 501 rows from export\.zip \(databuddy zip\/csv\) in [\d.]+ s: 1 rejected, 500 already imported; 0 sessions, 0 visitors \(import #2\)/);
    expect(again.stderr).toContain('line 502: no session id');
  });

  it('takes --map and --tz', () => {
    const dir = tempDir();
    const file = path.join(dir, 'visits.tsv');
    fs.writeFileSync(file, 'Visit\tWhen\tPage\nv1\t2025-07-01 14:00:00\t/a\n');
    const result = paylens(dir, ['import', file, '--map', 'session_id=Visit', '--map', 'time=When', '--tz', 'Europe/Berlin', '--json']);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ imported: 1, sessions: 1 });
  });

  it('exits 2 with one clear line for a file that is not an export, 1 when no row could be imported', () => {
    const dir = tempDir();
    const notes = path.join(dir, 'notes.md');
    fs.writeFileSync(notes, '# Notes\nnothing, here\n');
    const refused = paylens(dir, ['import', notes]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/^paylens import: Not a recognised analytics export: it is neither JSON nor delimited text with a header line; expected a Databuddy export/);
    const bad = path.join(dir, 'bad.csv');
    fs.writeFileSync(bad, 'session_id,time\ns1,whenever\n');
    const failed = paylens(dir, ['import', bad, '--json']);
    expect(failed.status).toBe(1);
    expect(JSON.parse(failed.stdout)).toMatchObject({ status: 'failed', rejected: 1, imported: 0 });
    expect(paylens(dir, ['import', bad, '--map', 'nonsense']).stderr).toMatch(/--map nonsense: expected field=Header/);
    expect(paylens(dir, ['import']).status).toBe(2);
  });
});
