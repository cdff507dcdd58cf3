import BetterSqlite3 from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { databaseFile } from '../src/core/config/data-dir';
import { assertBuilt, paylens, paylensJson } from './helpers/cli';
import { tempDir } from './helpers/server';

beforeAll(assertBuilt);

describe('paylens endpoints (built binary)', () => {
  it('adds an endpoint and prints its id, token, path and mode as JSON', () => {
    const dir = tempDir();
    const added = paylens(dir, ['endpoints', 'add', '--name', 'shop', '--secret', 'whsec_cli_0123456789abcdef', '--mode', 'live', '--client-id', 'site_a', '--json']);
    expect(added.stderr).toBe('');
    expect(added.status).toBe(0);
    const json = JSON.parse(added.stdout) as Record<string, string>;
    expect(Object.keys(json).sort()).toEqual(['id', 'mode', 'path', 'token']);
    expect(json.token).toMatch(/^wh_[A-Za-z0-9_-]{24,}$/);
    expect(json.path).toBe(`/stripe/webhook/${json.token}`);
    expect(json.mode).toBe('live');

    const [endpoint] = paylensJson<Array<Record<string, unknown>>>(dir, ['endpoints', 'list']);
    expect(endpoint).toMatchObject({ name: 'shop', mode: 'live', secret: 'whsec_…cdef', clientIds: ['site_a'] });
    expect(JSON.stringify(endpoint)).not.toContain('whsec_cli_0123456789abcdef');
  });

  it('shows, updates, regenerates the token of and removes an endpoint by name', () => {
    const dir = tempDir();
    const { token } = paylensJson<{ token: string }>(dir, ['endpoints', 'add', '--name', 'shop', '--secret', 'whsec_cli_0123456789abcdef']);
    const shown = paylens(dir, ['endpoints', 'show', 'shop']);
    expect(shown.stdout).toContain('mode:       test');
    expect(shown.stdout).toContain('whsec_…cdef');

    const updated = paylens(dir, ['endpoints', 'update', 'shop', '--secret', 'whsec_cli_rotated_9876543210zz', '--debug', '--json']);
    expect(updated.status).toBe(0);
    const view = JSON.parse(updated.stdout) as { secret: string; debug: boolean; previousSecretValidUntil: number };
    expect(view.secret).toBe('whsec_…10zz');
    expect(view.debug).toBe(true);
    expect(view.previousSecretValidUntil).toBeGreaterThan(Date.now() + 23 * 3600 * 1000);

    const regenerated = paylensJson<{ token: string }>(dir, ['endpoints', 'regenerate-token', 'shop']);
    expect(regenerated.token).not.toBe(token);

    expect(paylens(dir, ['endpoints', 'remove', 'shop']).stdout).toMatch(/^Removed endpoint we_/);
    expect(paylensJson(dir, ['endpoints', 'list'])).toEqual([]);
  });

  it('refuses bad input with one clear line and a non-zero exit, changing nothing', () => {
    const dir = tempDir();
    const bad = paylens(dir, ['endpoints', 'add', '--name', 'shop', '--secret', 'sk_test_123456789012345']);
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/must start with whsec_/);
    expect(paylensJson(dir, ['endpoints', 'list'])).toEqual([]);

    const badMode = paylens(dir, ['endpoints', 'add', '--name', 'shop', '--secret', 'whsec_cli_0123456789abcdef', '--mode', 'prod']);
    expect(badMode.status).toBe(2);
    expect(badMode.stderr).toMatch(/mode/);

    const missing = paylens(dir, ['endpoints', 'show', 'nope']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('No webhook endpoint with id, name or token "nope"');

    const unknownFlag = paylens(dir, ['endpoints', 'list', '--colour']);
    expect(unknownFlag.status).toBe(2);
    expect(unknownFlag.stderr).toMatch(/--colour/);

    const unknownCommand = paylens(dir, ['frobnicate']);
    expect(unknownCommand.status).toBe(2);
    expect(unknownCommand.stderr).toContain('unknown command "frobnicate"');
  });

  it('refuses a data folder that a newer version has changed, saying so in one line', () => {
    const dir = tempDir();
    expect(paylensJson(dir, ['endpoints', 'list'])).toEqual([]);
    const db = new BetterSqlite3(databaseFile(dir));
    db.prepare('INSERT INTO kysely_migration (name, timestamp) VALUES (?, ?)').run('999_from_the_future', new Date().toISOString());
    db.close();
    const refused = paylens(dir, ['endpoints', 'list']);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toContain('This data folder was written by a newer version of Paylens (database change 999_from_the_future)');
  });

  it('uses --data-dir over PAYLENS_DATA_DIR', () => {
    const envDir = tempDir();
    const flagDir = tempDir();
    paylens(envDir, ['endpoints', 'add', '--name', 'shop', '--secret', 'whsec_cli_0123456789abcdef', '--data-dir', flagDir]);
    expect(paylensJson(envDir, ['endpoints', 'list'])).toEqual([]);
    expect(paylensJson(flagDir, ['endpoints', 'list'])).toHaveLength(1);
  });

  it('shows and changes delivery-log retention settings, refusing nonsense', () => {
    const dir = tempDir();
    expect(paylens(dir, ['config', 'get', '--json']).stdout).toBe('{"deliveries.retentionDays":30,"deliveries.maxRows":100000}\n');
    expect(paylens(dir, ['config', 'set', 'deliveries.retentionDays', '7']).stdout).toBe('deliveries.retentionDays = 7\n');
    const bad = paylens(dir, ['config', 'set', 'deliveries.retentionDays', 'soon']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('Invalid value for deliveries.retentionDays');
    expect(paylens(dir, ['config', 'get', 'deliveries.retentionDays', '--json']).stdout).toBe('{"deliveries.retentionDays":7}\n');
  });
});
