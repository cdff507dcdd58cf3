// NDJSON (one object a line) and JSON arrays (streamed item by item with @streamparser/json).
import { StringDecoder } from 'node:string_decoder';
import { JSONParser } from '@streamparser/json';
import { cell, type Chunk } from './source';

const toValues = (item: unknown, headers: string[]) => headers.map((h) => cell((item as Record<string, unknown>)[h]));
const isObject = (item: unknown): item is Record<string, unknown> => typeof item === 'object' && item !== null && !Array.isArray(item);

export async function* readNdjson(input: AsyncIterable<Buffer>, headers: string[], onBytes: (n: number) => void): AsyncGenerator<Chunk> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let line = 0;
  const parseLines = (text: string, final: boolean): Chunk => {
    const chunk: Chunk = { rows: [], rejections: [] };
    const data = pending + text;
    let pos = 0;
    for (;;) {
      let nl = data.indexOf('\n', pos);
      if (nl === -1) {
        if (!final || pos >= data.length) break;
        nl = data.length;
      }
      line++;
      const raw = data.slice(pos, nl).trim();
      pos = nl + 1;
      if (raw === '') continue;
      let item: unknown;
      try {
        item = JSON.parse(raw);
      } catch {
        chunk.rejections.push({ line, unit: 'line', reason: 'not valid JSON', raw: raw.slice(0, 300) });
        continue;
      }
      if (!isObject(item)) chunk.rejections.push({ line, unit: 'line', reason: 'not a JSON object', raw: raw.slice(0, 300) });
      else chunk.rows.push({ values: toValues(item, headers), line });
    }
    pending = data.slice(pos);
    return chunk;
  };
  for await (const buffer of input) {
    onBytes(buffer.length);
    yield parseLines(decoder.write(buffer), false);
  }
  yield parseLines(decoder.end(), true);
}

/** JSON paths of the rows: a top-level array, or an array under one of these keys. */
export const arrayPaths = (wrapped: boolean) => (wrapped ? ['$.events.*', '$.data.*', '$.rows.*', '$.sessions.*', '$.items.*', '$.records.*'] : ['$.*']);

export async function* readJsonArray(input: AsyncIterable<Buffer>, headers: string[], wrapped: boolean, onBytes: (n: number) => void): AsyncGenerator<Chunk> {
  let chunk: Chunk = { rows: [], rejections: [] };
  let items = 0;
  let failed: Error | undefined;
  const parser = new JSONParser({ paths: arrayPaths(wrapped), keepStack: false });
  parser.onValue = ({ value }) => {
    items++;
    if (!isObject(value)) chunk.rejections.push({ line: items, unit: 'item', reason: 'not a JSON object', raw: JSON.stringify(value).slice(0, 300) });
    else chunk.rows.push({ values: toValues(value, headers), line: items });
  };
  parser.onError = (error) => {
    failed ??= error;
  };
  const take = () => {
    const out = chunk;
    chunk = { rows: [], rejections: [] };
    return out;
  };
  for await (const buffer of input) {
    onBytes(buffer.length);
    try {
      parser.write(buffer);
    } catch (error) {
      failed ??= error as Error;
    }
    if (failed) break;
    yield take();
  }
  if (!failed && !parser.isEnded) {
    try {
      parser.end();
    } catch (error) {
      failed = error as Error;
    }
  }
  if (failed) {
    // The rest of a broken JSON document cannot be read item by item.
    chunk.rejections.push({ line: items + 1, unit: 'item', reason: `invalid JSON after item ${items}, reading stopped: ${failed.message}`, raw: '' });
  }
  yield take();
}
