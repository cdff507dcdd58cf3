// CSV / TSV rows, each with the file line it came from. The record splitter hands over
// quoted records already read by csv-parse; lines without quotes are split here, which is
// all CSV parsing means for them and several times cheaper than a parser's field loop.
import { RecordSplitter, type Segment } from './record-splitter';
import type { Chunk, Rejection } from './source';

const MAX_LINE_CHARS = 1 << 20;

const columnReason = (expected: number, got: number) => `wrong column count: expected ${expected}, found ${got}`;

/** Reads delimited text chunk by chunk; yields rows and rejections in batches. */
export async function* readDelimited(input: AsyncIterable<Buffer>, delimiter: string, columns: number, onBytes: (n: number) => void): AsyncGenerator<Chunk> {
  const splitter = new RecordSplitter(delimiter);
  let headerLength = -1;
  let pending: Chunk = { rows: [], rejections: [] };

  const record = (values: string[], line: number, raw: () => string) => {
    if (headerLength < 0) {
      headerLength = values.length;
      pending.header = values;
    } else if (values.length !== headerLength) {
      pending.rejections.push({ line, unit: 'line', reason: columnReason(columns, values.length), raw: raw().slice(0, 300) });
    } else pending.rows.push({ values, line });
  };
  const plain = (segment: Segment) => {
    let text = segment.text.toString('utf8');
    if (segment.line === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1); // BOM
    let line = segment.line;
    for (let start = 0; start < text.length; line++) {
      let end = text.indexOf('\n', start);
      const broken = end !== -1;
      if (!broken) end = text.length;
      const next = end + 1;
      if (broken && end > start && text.charCodeAt(end - 1) === 13) end--; // \r\n; a lone \r is data
      if (end > start) {
        const body = text.slice(start, end);
        if (body.length > MAX_LINE_CHARS) pending.rejections.push({ line, unit: 'line', reason: 'line longer than 1 MiB', raw: body.slice(0, 300) });
        else record(body.split(delimiter), line, () => body);
      }
      start = next;
    }
  };
  const feed = (segments: Segment[]) => {
    for (const segment of segments) {
      if (segment.values) record(segment.values, segment.line, () => segment.values.join(delimiter));
      else plain(segment);
    }
  };
  const take = (rejections: Rejection[]) => {
    pending.rejections.push(...rejections);
    pending.rejections.sort((a, b) => a.line - b.line); // file order, whichever step found them
    const chunk = pending;
    pending = { rows: [], rejections: [] };
    return chunk;
  };

  for await (const buffer of input) {
    onBytes(buffer.length);
    const split = splitter.push(buffer);
    feed(split.data);
    yield take(split.rejections.map((r) => ({ ...r, unit: 'line' as const })));
  }
  const last = splitter.end();
  feed(last.data);
  yield take(last.rejections.map((r) => ({ ...r, unit: 'line' as const })));
}
