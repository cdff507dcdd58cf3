// Engines over temp folders and export files written by the test, for the import tests.
import fs from 'node:fs';
import path from 'node:path';
import yazl from 'yazl';
import { createEngine, type Engine } from '../../src/core/engine';
import { runImport, type ImportOptions } from '../../src/core/sessions/import';
import { tempDir } from './server';

export const DATABUDDY_HEADER =
  'id,client_id,event_name,anonymous_id,time,session_id,session_start_time,referrer,url,path,title,browser_name,os_name,device_type,country,region,city,screen_resolution,viewport_size,language,timezone,utm_source,utm_medium,utm_campaign,utm_term,utm_content';

/** One Databuddy-style CSV line; fields left out are empty. */
export function databuddyRow(r: { id: string; session: string; anon?: string; time: string; name?: string; path?: string; referrer?: string; utm_source?: string; title?: string; country?: string }): string {
  const cells: Record<string, string> = {
    id: r.id,
    client_id: 'site_1',
    event_name: r.name ?? 'screen_view',
    anonymous_id: r.anon ?? 'anon_1',
    time: r.time,
    session_id: r.session,
    session_start_time: r.time,
    referrer: r.referrer ?? '',
    url: r.path ? `https://shop.example${r.path}` : '',
    path: r.path ?? '',
    title: r.title ?? '',
    browser_name: 'Firefox',
    os_name: 'Linux',
    device_type: 'desktop',
    country: r.country ?? 'DE',
    region: 'BE',
    city: 'Berlin',
    utm_source: r.utm_source ?? '',
  };
  return DATABUDDY_HEADER.split(',')
    .map((h) => cells[h] ?? '')
    .join(',');
}

export interface ImportEnv {
  dir: string;
  engine: Engine;
  file(name: string, content: string | Buffer): string;
  run(file: string, options?: Omit<ImportOptions, 'path'>): ReturnType<typeof runImport>;
  all<T = Record<string, unknown>>(sql: string, ...params: unknown[]): T[];
  one<T = Record<string, unknown>>(sql: string, ...params: unknown[]): T;
  close(): Promise<void>;
}

export async function importEnv(): Promise<ImportEnv> {
  const dir = tempDir('paylens-import-');
  const engine = await createEngine({ dataDir: path.join(dir, 'data') });
  return {
    dir,
    engine,
    file(name, content) {
      const file = path.join(dir, name);
      fs.writeFileSync(file, content);
      return file;
    },
    run: (file, options = {}) => runImport(engine, { ...options, path: file }),
    all: <T>(sql: string, ...params: unknown[]) => engine.store.sqlite.prepare(sql).all(...params) as T[],
    one: <T>(sql: string, ...params: unknown[]) => engine.store.sqlite.prepare(sql).get(...params) as T,
    close: () => engine.close(),
  };
}

/** A ZIP made with yazl holding the given files. */
export function zip(files: Record<string, string | Buffer>): Promise<Buffer> {
  const archive = new yazl.ZipFile();
  for (const [name, content] of Object.entries(files)) archive.addBuffer(Buffer.isBuffer(content) ? content : Buffer.from(content), name);
  archive.end();
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    archive.outputStream.on('data', (chunk: Buffer) => parts.push(chunk));
    archive.outputStream.on('end', () => resolve(Buffer.concat(parts)));
    archive.outputStream.on('error', reject);
  });
}
