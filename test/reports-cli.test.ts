// `paylens report` and `paylens export` through the built CLI, on a small store.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, paylens as runCli } from './helpers/cli';
import { at, insertSessions, stripeStore } from './helpers/reports';
import { startTestServer, tempDir } from './helpers/server';

let dataDir: string;

/** The built CLI on this test's store; `code` is the exit status. */
async function paylens(...args: string[]) {
  const { status, stdout, stderr } = runCli(dataDir, [...args, '--data-dir', dataDir]);
  return { code: status, stdout, stderr };
}

beforeAll(async () => {
  assertBuilt();
  const server = await startTestServer();
  dataDir = server.dataDir;
  const s = stripeStore(server);
  insertSessions(server, [{ session_id: 'sess_1', anonymous_id: 'v1', started_at: at('2026-03-02T08:00'), utm_source: '@evil' }]);
  await s.pay('pi_1', { amount: 1099, at: at('2026-03-02T09:00'), metadata: { session_id: 'sess_1' } });
  await s.pay('pi_2', { amount: 1099, currency: 'jpy', at: at('2026-03-03T09:00') });
  await s.pay('pi_3', { amount: 1230, currency: 'kwd', at: at('2026-03-03T10:00') });
  await s.refund('re_1', 'pi_1', 1099, at('2026-03-04T09:00'));
  await server.close();
}, 120_000);

const RANGE = ['--from', '2026-03-01', '--to', '2026-03-04', '--tz', 'UTC'];

describe('paylens report', () => {
  it('prints revenue as CSV with each currency’s digits', async () => {
    const { code, stdout } = await paylens('report', 'revenue', ...RANGE, '--interval', 'month', '--format', 'csv');
    expect(code).toBe(0);
    expect(stdout.split('\r\n')).toEqual([
      'period,currency,gross,refunded,disputed,net,payments,refunds,average_order_value',
      '2026-03,jpy,1099,0,0,1099,1,0,1099',
      '2026-03,kwd,1.230,0.000,0.000,1.230,1,0,1.230',
      '2026-03,usd,10.99,10.99,0.00,0.00,1,1,10.99\n',
    ]);
  });

  it('prints a table by default and JSON on request', async () => {
    const table = await paylens('report', 'attribution', ...RANGE);
    expect(table.stdout).toMatch(/^attribution\nutm_source\s+currency\s+payments\s+gross\s+net\s+share/);
    expect(table.stdout).toContain('@evil');
    const json = JSON.parse((await paylens('report', 'attribution', ...RANGE, '--format', 'json')).stdout);
    expect(json.rows.find((r: { currency: string }) => r.currency === 'usd')).toMatchObject({ value: '@evil', payments: 1, gross: 1099, net: 0 });
  });

  it('refuses bad input in one line with exit code 2', async () => {
    const bad = await paylens('report', 'attribution', '--by', 'colour');
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/^paylens report: by: /);
    const zone = await paylens('report', 'revenue', '--tz', 'Mars/Olympus');
    expect(zone).toMatchObject({ code: 2, stderr: 'paylens report: tz: unknown time zone "Mars/Olympus" (use an IANA name such as Europe/Berlin)\n' });
  });
});

describe('paylens export', () => {
  it('writes a report and the raw payment list to CSV files, defusing formula cells', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'attribution.csv');
    const res = await paylens('export', 'attribution', ...RANGE, '--out', file);
    expect(res).toMatchObject({ code: 0, stdout: `Wrote 3 rows to ${file}\n` });
    expect(fs.readFileSync(file, 'utf8')).toContain("'@evil,usd,1,10.99,0.00,");
    const raw = path.join(dir, 'payments.csv');
    expect((await paylens('export', 'payments', '--raw', ...RANGE, '--out', raw)).code).toBe(0);
    const lines = fs.readFileSync(raw, 'utf8').trim().split('\r\n');
    expect(lines[0]).toMatch(/^id,kind,status,created,succeeded_at,currency,amount,amount_received,amount_refunded/);
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 3).join(','))).toEqual(['pi_1,payment_intent,succeeded', 'pi_2,payment_intent,succeeded', 'pi_3,payment_intent,succeeded']);
    expect(lines.find((l) => l.startsWith('pi_2'))).toContain(',No session_id in payment metadata');
  });
});
