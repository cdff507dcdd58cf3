// CSV / TSV rows through csv-parse, each with the file line it came from.
import { Parser } from 'csv-parse';
import { RecordSplitter } from './record-splitter';
import type { Chunk, RawRow, Rejection } from './source';

/** csv-parse's parser, tagging each record with `info.lines` at the moment it is emitted. */
class LineParser extends Parser {
  override push(record: unknown): boolean {
    return super.push(record === null ? null : { values: record as string[], line: (this as unknown as { info: { lines: number } }).info.lines });
  }
}

const columnReason = (expected: number, got: number) => `wrong column count: expected ${expected}, found ${got}`;

/** Reads delimited text chunk by chunk; yields rows and rejections in batches. */
export async function* readDelimited(input: AsyncIterable<Buffer>, delimiter: string, columns: number, onBytes: (n: number) => void): AsyncGenerator<Chunk> {
  const splitter = new RecordSplitter(delimiter);
  let headerLength = -1;
  let pending: Chunk = { rows: [], rejections: [] };
  const parser = new LineParser({
    delimiter,
    bom: true,
    record_delimiter: ['\r\n', '\n'],
    relax_column_count: false,
    skip_empty_lines: true,
    skip_records_with_error: true,
    max_record_size: 1 << 20,
    readableHighWaterMark: 1 << 30,
  } as ConstructorParameters<typeof Parser>[0]);
  parser.on('skip', (error: Error & { lines?: number; record?: string[]; code?: string }) => {
    const record = error.record ?? [];
    pending.rejections.push({
      line: (error.lines ?? 0) - countBreaks(record),
      unit: 'line',
      reason: error.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH' ? columnReason(columns, record.length) : error.message.replace(/ at line \d+.*$/, ''),
      raw: record.join(delimiter).slice(0, 300),
    });
  });
  parser.on('error', () => undefined); // surfaced through the `skip` events above

  const feed = (data: Buffer[]) => {
    for (const part of data) if (part.length) parser.write(part);
    let item: RawRow | null;
    while ((item = parser.read() as RawRow | null) !== null) {
      if (headerLength < 0) {
        headerLength = item.values.length;
        pending.header = item.values as string[];
        continue;
      }
      pending.rows.push(item);
    }
  };
  const take = (rejections: Rejection[]) => {
    pending.rejections.push(...rejections);
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
  const finished = new Promise((resolve) => parser.once('finish', resolve));
  parser.end();
  await finished;
  feed([]);
  yield take(last.rejections.map((r) => ({ ...r, unit: 'line' as const })));
}

/** Lines a record spans beyond its first (quoted fields may hold line breaks). */
export const countBreaks = (values: string[]) => values.reduce((n, v) => n + (v.includes('\n') ? v.split('\n').length - 1 : 0), 0);
