// The reading side of an import: file → rows → batches. Runs in the import worker thread.
import { Batcher, type Batch } from './batch';
import { readDelimited } from './csv-source';
import { type ImportPlan, openPlan } from './detect';
import { readJsonArray, readNdjson } from './json-source';
import { createRowMapper } from './rows';
import type { Chunk } from './source';
import { createTimeParser } from './time';

// Small reads keep each chunk's rows young: they die before the next scavenge instead of being copied.
const READ_BYTES = 64 << 10;

export interface ReadJob {
  plan: ImportPlan;
  tz: string;
  batchRows: number;
}

/** Reads the whole file, handing each batch to `send` and waiting for it (backpressure). */
export async function readBatches(job: ReadJob, send: (batch: Batch) => Promise<void>): Promise<void> {
  const { plan } = job;
  const stream = await openPlan(plan, READ_BYTES);
  try {
    const mapper = createRowMapper(plan.columns, createTimeParser(job.tz));
    const batcher = new Batcher(plan.kind, mapper, job.batchRows, plan.container === 'json' ? 'item' : 'line');
    let bytes = 0;
    const onBytes = (n: number) => (bytes += n);
    const chunks: AsyncIterable<Chunk> =
      plan.container === 'csv' || plan.container === 'tsv'
        ? readDelimited(stream, plan.delimiter, plan.headers.length, onBytes)
        : plan.container === 'ndjson'
          ? readNdjson(stream, plan.headers, onBytes)
          : readJsonArray(stream, plan.headers, plan.wrapped, onBytes);
    for await (const chunk of chunks) {
      for (const batch of batcher.add(chunk, bytes)) await send(batch);
    }
    if (!batcher.empty) await send(batcher.take(bytes));
  } finally {
    stream.destroy();
  }
}
