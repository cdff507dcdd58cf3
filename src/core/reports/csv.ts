// CSV as RFC 4180 (CRLF, quoted when needed, header row), UTF-8. Text that came from outside
// (UTM values, paths, emails, ids) is defused for spreadsheets; numbers we wrote are not.
import { stringify } from 'csv-stringify/sync';
import { minorToDecimal } from '../../shared/money';

export type ColumnKind = 'text' | 'money' | 'int' | 'decimal' | 'rate';
export interface Column {
  key: string;
  /** Header text; defaults to the key. */
  header?: string;
  kind: ColumnKind;
}
export interface TableSpec {
  columns: Column[];
  rows: Array<Record<string, unknown>>;
}

const FORMULA_START = /^[=+\-@\t\r]/;

/** A leading `'` keeps spreadsheet apps from running a cell as a formula. */
export const defuse = (text: string) => (FORMULA_START.test(text) ? `'${text}` : text);

/** A cell as text: money in major units with the row currency's digits, rates and weights as decimals. */
export function cellText(row: Record<string, unknown>, column: Column): string {
  const value = row[column.key];
  if (value === null || value === undefined) return '';
  switch (column.kind) {
    case 'money':
      return row.currency ? minorToDecimal(value as number, row.currency as string) : String(value);
    case 'int':
      return String(value);
    case 'decimal':
      return trim((value as number).toFixed(6));
    case 'rate':
      return trim((value as number).toFixed(6));
    default:
      return typeof value === 'boolean' ? (value ? 'true' : 'false') : String(value);
  }
}

const trim = (text: string) => (text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text);

export function toCsv(table: TableSpec): string {
  const records = table.rows.map((row) => table.columns.map((c) => (c.kind === 'text' ? defuse(cellText(row, c)) : cellText(row, c))));
  return stringify(records, { header: true, columns: table.columns.map((c) => c.header ?? c.key), record_delimiter: 'windows', quoted_match: /^\s|\s$/ });
}
