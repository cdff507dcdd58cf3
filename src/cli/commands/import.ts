import { UserError } from '../../core/errors';
import { runImport } from '../../core/sessions/import';
import { createImportRecords } from '../../core/sessions/records';
import type { ImportProgress } from '../../shared/api/imports';
import { type Command, parse, validated, withEngine } from '../command';

const USAGE = `paylens import FILE [--format databuddy|events|sessions|csv|tsv|ndjson|json] [--map field=Header]… [--tz ZONE] [--json]

Imports a website analytics export (Databuddy ZIP or events file, or a generic events or
sessions export in CSV, TSV, NDJSON or JSON) into sessions and visitors.
  --format   what the file is, when it cannot be told from its content
  --map      name the column of a field, e.g. --map session_id=Session --map time=When
  --tz       zone of times written without one (default UTC), e.g. Europe/Berlin`;

const number = (n: number) => n.toLocaleString('en-US');

function bar(p: ImportProgress): string {
  const fraction = p.bytesTotal > 0 ? Math.min(p.bytesRead / p.bytesTotal, 1) : 0;
  const width = 28;
  const filled = Math.round(fraction * width);
  const eta = p.etaSeconds === null ? '' : ` ETA ${p.etaSeconds}s`;
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}%  ${number(p.rowsRead)} rows  ${number(p.rejected)} rejected  ${number(p.rowsPerSecond)} rows/s${eta}`;
}

export const importCommand: Command = {
  name: 'import',
  summary: 'Import a website analytics export (sessions and visitors)',
  usage: USAGE,
  async run(args, io) {
    const { values, positionals } = parse(args, { format: { type: 'string' }, map: { type: 'string', multiple: true }, tz: { type: 'string' } });
    if (positionals.length !== 1) throw new UserError(`paylens import needs exactly one file. Usage:\n${USAGE}`);
    const map: Record<string, string> = {};
    for (const pair of values.map ?? []) {
      const at = pair.indexOf('=');
      if (at <= 0 || at === pair.length - 1) throw new UserError(`--map ${pair}: expected field=Header, e.g. --map session_id=Session`);
      map[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
    }
    const input = validated('imports.start', { path: positionals[0], format: values.format, map: values.map ? map : undefined, tz: values.tz });
    const showBar = !values.json && Boolean(process.stderr.isTTY);

    return withEngine(values['data-dir'], async (engine) => {
      const controller = new AbortController();
      const stop = () => controller.abort();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      try {
        const summary = await runImport(engine, {
          ...input,
          signal: controller.signal,
          onProgress: showBar ? (p) => process.stderr.write(`\r${bar(p)}\u001b[K`) : undefined,
        });
        if (showBar) process.stderr.write('\n');
        if (values.json) io.out(JSON.stringify({ file: positionals[0], ...summary }));
        else {
          io.out(
            `${summary.status === 'completed' ? 'Imported' : summary.status === 'cancelled' ? 'Cancelled after' : 'Failed:'} ` +
              `${number(summary.imported)} new of ${number(summary.rowsRead)} rows from ${summary.fileName} (${summary.format}) in ${summary.seconds.toFixed(1)} s: ` +
              `${number(summary.rejected)} rejected, ${number(summary.duplicates)} already imported; ${number(summary.sessions)} sessions, ${number(summary.visitors)} visitors (import #${summary.id})` +
              (summary.error ? `. ${summary.error}` : ''),
          );
          if (summary.rejected > 0) {
            const { rejections } = createImportRecords(engine.store).detail(summary.id);
            for (const r of rejections.slice(0, 5)) io.err(`  ${r.unit} ${r.line}: ${r.reason}`);
            if (summary.rejected > 5) io.err(`  … ${number(summary.rejected - 5)} more rejected rows (first 100 kept: paylens API imports.get ${summary.id})`);
          }
        }
        return summary.status === 'completed' ? 0 : summary.status === 'cancelled' ? 130 : 1;
      } finally {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
      }
    });
  },
};
