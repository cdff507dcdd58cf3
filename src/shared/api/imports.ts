import { z } from 'zod';
import { defineMethods } from './define';

/** `databuddy`, `events`, `sessions` say what the rows are; `csv` … `json` say how the file is written. */
export const importFormats = ['databuddy', 'events', 'sessions', 'csv', 'tsv', 'ndjson', 'json'] as const;
export const importStatus = z.enum(['running', 'completed', 'cancelled', 'failed']);

export const importRecord = z.object({
  id: z.number(),
  fileName: z.string(),
  filePath: z.string(),
  format: z.string(),
  size: z.number(),
  rowsRead: z.number(),
  /** Rows stored for the first time. */
  imported: z.number(),
  /** Valid rows an earlier import already stored. */
  duplicates: z.number(),
  rejected: z.number(),
  sessions: z.number(),
  visitors: z.number(),
  startedAt: z.number(),
  finishedAt: z.number().nullable(),
  status: importStatus,
  error: z.string().nullable(),
});
export type ImportRecord = z.infer<typeof importRecord>;

export const importRejection = z.object({ line: z.number(), unit: z.enum(['line', 'item']), reason: z.string(), raw: z.string() });
export const importDetail = importRecord.extend({ rejections: z.array(importRejection) });
export type ImportDetail = z.infer<typeof importDetail>;

export const importProgress = z.object({
  id: z.number(),
  fileName: z.string(),
  status: importStatus,
  bytesRead: z.number(),
  bytesTotal: z.number(),
  rowsRead: z.number(),
  imported: z.number(),
  duplicates: z.number(),
  rejected: z.number(),
  rowsPerSecond: z.number(),
  /** Seconds left at the current rate; null until it can be told. */
  etaSeconds: z.number().nullable(),
});
export type ImportProgress = z.infer<typeof importProgress>;

export const importStartInput = z.object({
  path: z.string().min(1, 'a file path is required'),
  format: z.enum(importFormats).optional(),
  /** field=header pairs, e.g. { session_id: 'Session' }. */
  map: z.record(z.string(), z.string().min(1)).optional(),
  /** Zone of times written without one (IANA name); UTC when left out. */
  tz: z.string().min(1).optional(),
});

export const importMethods = defineMethods({
  /** Starts an import and answers at once; progress comes as `import.progress` push events. */
  'imports.start': { input: importStartInput, output: importRecord },
  'imports.cancel': { input: z.object({ id: z.number().int() }), output: importRecord },
  'imports.list': { input: z.object({ limit: z.number().int().min(1).max(1000).default(50) }), output: z.array(importRecord) },
  'imports.get': { input: z.object({ id: z.number().int() }), output: importDetail },
});
