// Recognises an export from its first bytes, before anything is written: container
// (ZIP, CSV, TSV, NDJSON, JSON array), header, and whether rows are events or sessions.
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { JSONParser } from '@streamparser/json';
import { parse as parseSync } from 'csv-parse/sync';
import type { importFormats } from '../../shared/api/imports';
import { UserError } from '../errors';
import { type ColumnMap, EXPECTED, type ExportKind, kindOf, mapColumns } from './fields';
import { arrayPaths } from './json-source';
import type { Container } from './source';
import { listZip, openZipEntry } from './zip';

export type FormatOption = (typeof importFormats)[number];

export interface ImportPlan {
  path: string;
  fileName: string;
  size: number;
  /** The file inside a ZIP export, or null. */
  entry: string | null;
  bytesTotal: number;
  container: Container;
  delimiter: string;
  /** JSON rows under a key of a top-level object rather than a top-level array. */
  wrapped: boolean;
  headers: string[];
  columns: ColumnMap;
  kind: ExportKind;
  /** What the import record shows, e.g. `databuddy zip/csv` or `sessions/ndjson`. */
  format: string;
}

const HEAD_BYTES = 256 * 1024;
const DATABUDDY_COLUMNS = ['client_id', 'event_name', 'anonymous_id', 'session_id', 'time'];
const ENTRY_EXTENSIONS: Record<string, Container> = { '.csv': 'csv', '.tsv': 'tsv', '.txt': 'tsv', '.ndjson': 'ndjson', '.jsonl': 'ndjson', '.json': 'json' };

export function openPlan(plan: Pick<ImportPlan, 'path' | 'entry'>, highWaterMark = 1 << 20): Promise<Readable> {
  return plan.entry ? openZipEntry(plan.path, plan.entry) : Promise.resolve(fs.createReadStream(plan.path, { highWaterMark }));
}

async function readHead(stream: Readable, bytes = HEAD_BYTES): Promise<Buffer> {
  const parts: Buffer[] = [];
  let length = 0;
  try {
    for await (const chunk of stream) {
      parts.push(chunk as Buffer);
      length += (chunk as Buffer).length;
      if (length >= bytes) break;
    }
  } finally {
    stream.destroy();
  }
  return Buffer.concat(parts).subarray(0, bytes);
}

const refuse = (what: string) => new UserError(`Not a recognised analytics export: ${what}; ${EXPECTED}`);

/** Picks the export file inside a ZIP: events.* first, never metadata.json. */
async function zipEntry(file: string): Promise<{ name: string; size: number; container: Container }> {
  let entries;
  try {
    entries = await listZip(file);
  } catch (error) {
    throw refuse(`the ZIP cannot be read (${(error as Error).message})`);
  }
  const candidates = entries
    .map((e) => ({ ...e, base: path.basename(e.name).toLowerCase(), container: ENTRY_EXTENSIONS[path.extname(e.name).toLowerCase()] }))
    .filter((e) => e.container && e.base !== 'metadata.json' && !e.base.startsWith('.'));
  const chosen = candidates.find((e) => e.base.startsWith('events.')) ?? candidates[0];
  if (!chosen) throw refuse(`the ZIP holds ${entries.map((e) => e.name).join(', ') || 'no files'}`);
  return { name: chosen.name, size: chosen.size, container: chosen.container! };
}

function sniffContainer(text: string, extension: string): { container: Container; wrapped: boolean } {
  const start = text.replace(/^\uFEFF/, '').trimStart();
  if (start.startsWith('[')) return { container: 'json', wrapped: false };
  if (start.startsWith('{')) {
    const firstLine = start.split('\n', 1)[0]!.trim();
    try {
      const first = JSON.parse(firstLine) as Record<string, unknown>;
      // One object holding the rows under a known key is a JSON document, not NDJSON.
      const wrapper = arrayPaths(true).some((p) => Array.isArray(first[p.split('.')[1]!]));
      return { container: wrapper ? 'json' : 'ndjson', wrapped: wrapper };
    } catch {
      return { container: extension === '.ndjson' || extension === '.jsonl' ? 'ndjson' : 'json', wrapped: true };
    }
  }
  const firstLine = start.split('\n', 1)[0]!;
  const tabs = firstLine.split('\t').length - 1;
  const commas = firstLine.split(',').length - 1;
  const semicolons = firstLine.split(';').length - 1;
  if (extension === '.tsv' || extension === '.txt' || (tabs > 0 && tabs >= commas)) return { container: 'tsv', wrapped: false };
  if (commas > 0 || semicolons > 0) return { container: 'csv', wrapped: false };
  throw refuse('it is neither JSON nor delimited text with a header line');
}

function delimitedHeader(text: string, delimiter: string): string[] {
  const firstLine = text.replace(/^\uFEFF/, '').split('\n', 1)[0]!.replace(/\r$/, '');
  try {
    const [header] = parseSync(firstLine, { delimiter, relax_column_count: true }) as string[][];
    return (header ?? []).map((h) => h.trim());
  } catch {
    throw refuse('its first line is not a readable header');
  }
}

/** Keys of the first JSON items in the head of the file, in first-seen order. */
function jsonHeader(text: string, container: Container, wrapped: boolean): string[] {
  const keys = new Set<string>();
  const add = (item: unknown) => {
    if (typeof item === 'object' && item !== null && !Array.isArray(item)) for (const key of Object.keys(item)) keys.add(key);
  };
  if (container === 'ndjson') {
    for (const line of text.split('\n').slice(0, 200)) {
      try {
        add(JSON.parse(line));
      } catch {
        // a partial last line, or a bad row the import will reject
      }
    }
  } else {
    const parser = new JSONParser({ paths: arrayPaths(wrapped), keepStack: false });
    let seen = 0;
    parser.onValue = ({ value }) => {
      if (seen++ < 200) add(value);
    };
    parser.onError = () => undefined;
    try {
      parser.write(text);
    } catch {
      // the head ends mid-document; the items before that are enough
    }
  }
  return [...keys];
}

export interface DetectOptions {
  format?: FormatOption;
  map?: Record<string, string>;
}

export async function detect(file: string, options: DetectOptions = {}): Promise<ImportPlan> {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new UserError(`Cannot read ${file}: no such file`);
  }
  if (!stat.isFile()) throw new UserError(`Cannot read ${file}: not a file`);
  const fileName = path.basename(file);
  const head = await readHead(fs.createReadStream(file, { end: HEAD_BYTES - 1 }));
  if (head.length === 0) throw refuse('the file is empty');

  let entry: string | null = null;
  let bytesTotal = stat.size;
  let extension = path.extname(file).toLowerCase();
  let text: string;
  let zipped = false;
  if (head.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) {
    const inner = await zipEntry(file);
    entry = inner.name;
    bytesTotal = inner.size;
    extension = path.extname(inner.name).toLowerCase();
    zipped = true;
    text = (await readHead(await openPlan({ path: file, entry }))).toString('utf8');
  } else {
    if (head.includes(0)) throw refuse('it is a binary file');
    text = head.toString('utf8');
  }

  const forced = options.format;
  const sniffed = sniffContainer(text, extension);
  const { wrapped } = sniffed;
  let { container } = sniffed;
  if (forced === 'csv' || forced === 'tsv' || forced === 'ndjson' || forced === 'json') {
    if (forced !== container && !(forced === 'json' && container === 'ndjson') && !(['csv', 'tsv'].includes(forced) && ['csv', 'tsv'].includes(container))) {
      throw new UserError(`--format ${forced}: ${fileName} looks like ${container.toUpperCase()}, not ${forced.toUpperCase()}`);
    }
    container = forced === 'json' && container === 'ndjson' ? 'ndjson' : forced;
  }
  const firstLine = text.replace(/^\uFEFF/, '').split('\n', 1)[0]!;
  const delimiter = container === 'tsv' ? '\t' : firstLine.split(';').length > firstLine.split(',').length ? ';' : ',';
  const headers = container === 'csv' || container === 'tsv' ? delimitedHeader(text, delimiter) : jsonHeader(text, container, wrapped);
  if (headers.length === 0) throw refuse('no header or field names were found');
  if (headers.some((h) => h.includes('\uFFFD'))) throw refuse('its header is not valid UTF-8 text');

  const columns = mapColumns(headers, options.map);
  const wantedKind = forced === 'sessions' ? 'sessions' : forced === 'events' || forced === 'databuddy' ? 'events' : undefined;
  const kind = kindOf(columns, wantedKind);
  if (!kind) {
    const missing = columns.session_id === undefined ? 'session id column' : wantedKind === 'sessions' ? 'session start time column' : 'time column';
    throw refuse(`${fileName}${entry ? ` (${entry})` : ''} has no ${missing} (columns: ${headers.slice(0, 40).join(', ')})`);
  }
  const databuddy = zipped || forced === 'databuddy' || DATABUDDY_COLUMNS.every((c) => headers.includes(c));
  const format = `${kind === 'events' && databuddy ? 'databuddy' : kind}${zipped ? ' zip' : ''}/${container}`;
  return { path: file, fileName, size: stat.size, entry, bytesTotal, container, delimiter, wrapped, headers, columns, kind, format };
}
