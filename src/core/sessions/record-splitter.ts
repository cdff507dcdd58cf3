// Cuts delimited bytes into whole records, so one broken quote costs one line instead of
// swallowing the rest of the file. Lines without quotes pass as plain text (split by the
// caller); a record with quotes is parsed here by csv-parse once, and kept when it parses.
// Every segment carries the file line it starts on.
import { parse as parseSync } from 'csv-parse/sync';

const MAX_RECORD_LINES = 200;
const MAX_RECORD_BYTES = 1 << 20;
const QUOTE = 0x22;
const NL = 0x0a;
const EMPTY = Buffer.alloc(0);

export interface SplitRejection {
  line: number;
  reason: string;
  raw: string;
}

/** Whole lines without quotes, or one record with quotes and the values csv-parse read from it. */
export type Segment = { line: number; text: Buffer; values?: undefined } | { line: number; text: Buffer; values: string[] };

export interface SplitOutput {
  data: Segment[];
  rejections: SplitRejection[];
}

const QUOTE_REASONS: Record<string, string> = {
  CSV_INVALID_CLOSING_QUOTE: 'broken quoting: text follows a closing quote',
  CSV_INVALID_OPENING_QUOTE: 'broken quoting: a quote inside an unquoted field',
  CSV_QUOTE_NOT_CLOSED: 'broken quoting: a quoted field is never closed',
};
const NOT_CLOSED = QUOTE_REASONS.CSV_QUOTE_NOT_CLOSED!;

export function quoteReason(error: unknown): string {
  const code = (error as { code?: string }).code ?? '';
  return QUOTE_REASONS[code] ?? `unreadable record: ${(error as Error).message.replace(/ at line \d+.*$/, '')}`;
}

const countLines = (data: Buffer, from: number, to: number) => {
  let n = 0;
  for (let i = data.indexOf(NL, from); i !== -1 && i < to; i = data.indexOf(NL, i + 1)) n++;
  return n;
};

export class RecordSplitter {
  private pending: Buffer = EMPTY;
  /** File line number of the first line in `pending`. */
  private line = 1;
  private skippingLongLine = false;

  constructor(private readonly delimiter: string) {}

  push(chunk: Buffer): SplitOutput {
    return this.process(this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk, false);
  }

  end(): SplitOutput {
    return this.process(this.pending, true);
  }

  private process(data: Buffer, final: boolean): SplitOutput {
    const out: Segment[] = [];
    const rejections: SplitRejection[] = [];
    let pos = 0;
    if (this.skippingLongLine) {
      const nl = data.indexOf(NL);
      if (nl === -1) {
        this.pending = EMPTY;
        return { data: out, rejections };
      }
      this.skippingLongLine = false;
      this.line++;
      pos = nl + 1;
    }
    const forward = (to: number, values?: string[]) => {
      if (to <= pos) return;
      const text = data.subarray(pos, to);
      out.push(values ? { line: this.line, text, values } : { line: this.line, text });
      this.line += countLines(data, pos, to);
      pos = to;
    };
    const reject = (end: number, reason: string) => {
      const breaks = countLines(data, pos, end);
      rejections.push({ line: this.line, reason, raw: data.toString('utf8', pos, Math.min(end, pos + 300)).replace(/\r?\n$/, '') });
      this.line += breaks;
      pos = end;
    };

    for (;;) {
      const quote = data.indexOf(QUOTE, pos);
      if (quote === -1) {
        // No quotes ahead: whole lines go straight through.
        const lastNl = data.lastIndexOf(NL);
        if (final) forward(data.length);
        else if (lastNl >= pos) forward(lastNl + 1);
        break;
      }
      forward(data.lastIndexOf(NL, quote) + 1);
      // Walk one record from `pos`, keeping quote parity, until a line break outside quotes.
      let open = false;
      let i = pos;
      let end = -1;
      let incomplete = false;
      let lines = 0;
      for (;;) {
        const nq = data.indexOf(QUOTE, i);
        const nl = data.indexOf(NL, i);
        if (nq !== -1 && (nl === -1 || nq < nl)) {
          open = !open;
          i = nq + 1;
          continue;
        }
        if (nl === -1) {
          incomplete = true;
          break;
        }
        if (!open) {
          end = nl + 1;
          break;
        }
        i = nl + 1;
        if (++lines > MAX_RECORD_LINES || i - pos > MAX_RECORD_BYTES) break;
      }
      if (end === -1 && incomplete && !final && data.length - pos <= MAX_RECORD_BYTES) break; // wait for more data
      if (end === -1) {
        if (!open && final) end = data.length; // last record without a line break
        else {
          // A quote that never closes: only its first line is lost, the rest is read again.
          const firstNl = data.indexOf(NL, pos);
          if (firstNl !== -1) {
            reject(firstNl + 1, NOT_CLOSED);
            continue;
          }
          if (final) reject(data.length, NOT_CLOSED);
          else {
            this.startSkipping(data.subarray(pos), rejections);
            pos = data.length;
          }
          break;
        }
      }
      const record = data.subarray(pos, end);
      try {
        const [values] = parseSync(record, { bom: this.line === 1, delimiter: this.delimiter, relax_column_count: true, record_delimiter: ['\r\n', '\n'] }) as string[][];
        forward(end, values ?? []);
      } catch (error) {
        // A multi-line record that does not parse: reject its first line and read the rest again.
        const firstNl = record.indexOf(NL);
        reject(firstNl === -1 || firstNl === record.length - 1 ? end : pos + firstNl + 1, quoteReason(error));
      }
    }
    this.pending = pos < data.length ? Buffer.from(data.subarray(pos)) : EMPTY;
    if (!final && !this.skippingLongLine && this.pending.length > MAX_RECORD_BYTES && this.pending.indexOf(NL) === -1) {
      this.startSkipping(this.pending, rejections);
      this.pending = EMPTY;
    }
    return { data: out, rejections };
  }

  /** A line over 1 MiB is rejected and skipped up to its line break. */
  private startSkipping(start: Buffer, rejections: SplitRejection[]) {
    rejections.push({ line: this.line, reason: 'line longer than 1 MiB', raw: start.toString('utf8', 0, 300) });
    this.skippingLongLine = true;
  }
}
