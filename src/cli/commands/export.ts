import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../../core/errors';
import { toCsv } from '../../core/reports/csv';
import { paymentListTable } from '../../core/reports/tables';
import { type Command, parse, validated, withEngine } from '../command';
import { pickTable, REPORT_USAGE, reportName, reportOptions, runReport } from './report';

/** Writes beside the target and renames, so a reader never sees half a file. */
function writeAtomically(file: string, text: string) {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  fs.writeFileSync(tmp, text, 'utf8');
  fs.renameSync(tmp, file);
}

export const exportCommand: Command = {
  name: 'export',
  summary: 'Write a report (or, with payments --raw, the raw payment list) to a CSV file',
  usage: `paylens export <report> --out FILE.csv [options]\npaylens export payments --raw --out FILE.csv [--from D] [--to D] [--tz Z] [--currency C]\n${REPORT_USAGE}`,
  async run(args, io) {
    const { values, positionals } = parse(args, { ...reportOptions, out: { type: 'string', short: 'o' }, raw: { type: 'boolean' } });
    const name = reportName(positionals[0]);
    if (!values.out) throw new UserError('--out FILE.csv is required');
    if (values.raw && name !== 'payments') throw new UserError('--raw exports the payment list: use `paylens export payments --raw`');
    const out = path.resolve(values.out);
    if (!fs.existsSync(path.dirname(out))) throw new UserError(`--out: folder ${path.dirname(out)} does not exist`);
    return withEngine(values['data-dir'], (engine) => {
      const spec = values.raw
        ? paymentListTable(engine.reports.paymentList(validated('reports.payments', { from: values.from, to: values.to, tz: values.tz, currency: values.currency })))
        : pickTable(runReport(engine, name, values).tables, values.table);
      writeAtomically(out, toCsv(spec));
      if (values.json) io.out(JSON.stringify({ file: out, rows: spec.rows.length }));
      else io.out(`Wrote ${spec.rows.length} rows to ${out}`);
      return 0;
    });
  },
};
