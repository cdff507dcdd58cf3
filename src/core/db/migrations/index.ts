// Migrations are imported statically: a bundled app cannot discover files on disk.
// Add a new numbered file for every schema change; never edit one that has shipped.
import type { Migration } from 'kysely';
import * as m001 from './001_initial';
import * as m002 from './002_imports';
import * as m003 from './003_reports';
import * as m004 from './004_ingest_indexes';
import * as m005 from './005_import_owner';
import * as m006 from './006_report_cache_file';
import * as m007 from './007_visitor_sessions_covering';
import * as m008 from './008_payment_intent_indexes';
import * as m009 from './009_deliveries_by_arrival';

export const migrations: Record<string, Migration> = {
  '001_initial': m001,
  '002_imports': m002,
  '003_reports': m003,
  '004_ingest_indexes': m004,
  '005_import_owner': m005,
  '006_report_cache_file': m006,
  '007_visitor_sessions_covering': m007,
  '008_payment_intent_indexes': m008,
  '009_deliveries_by_arrival': m009,
};
