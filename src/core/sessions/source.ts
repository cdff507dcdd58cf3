// What every reader yields: rows as value arrays in header order, and rejected rows.

export interface RawRow {
  values: Array<string | number | null | undefined>;
  /** File line (text formats) or 1-based item number (JSON arrays). */
  line: number;
}

export interface Rejection {
  line: number;
  unit: 'line' | 'item';
  reason: string;
  raw: string;
}

export interface Chunk {
  /** The header record, on the chunk that read it (delimited files). */
  header?: string[];
  rows: RawRow[];
  rejections: Rejection[];
}

export type Container = 'csv' | 'tsv' | 'ndjson' | 'json';

/** A JSON value as one cell: objects and arrays are not used, booleans become text. */
export function cell(value: unknown): string | number | null {
  if (typeof value === 'string' || typeof value === 'number') return value;
  if (typeof value === 'boolean') return String(value);
  return null;
}
