// The fields Paylens reads from an export, and the header names each is known by.
import { UserError } from '../errors';

/** Session attributes, in this order: first non-empty value in the session wins. */
export const ATTRIBUTES = [
  'referrer',
  'utm_source',
  'utm_medium',
  'utm_campaign',
  'utm_term',
  'utm_content',
  'country',
  'region',
  'city',
  'device_type',
  'browser_name',
  'os_name',
] as const;

export const FIELDS = [
  'id',
  'session_id',
  'anonymous_id',
  'client_id',
  'time',
  'event_name',
  'path',
  'url',
  'title',
  ...ATTRIBUTES,
  // Session exports
  'started_at',
  'ended_at',
  'duration',
  'landing_path',
  'exit_path',
  'pageviews',
  'events',
] as const;
export type Field = (typeof FIELDS)[number];

/** Header names compared without case, spaces, dashes, dots or underscores. */
const SYNONYMS: Record<Field, string[]> = {
  id: ['id', 'eventid', 'event_uuid', 'uuid', 'rowid'],
  session_id: ['sessionid', 'sid', 'didsession', 'session', 'visitid', 'sessionkey'],
  anonymous_id: ['anonymousid', 'anonid', 'visitorid', 'did', 'visitor', 'anonymous', 'distinctid', 'deviceid', 'cookieid'],
  client_id: ['clientid', 'siteid', 'websiteid', 'propertyid'],
  time: ['time', 'timestamp', 'createdat', 'eventtime', 'eventtimestamp', 'datetime', 'occurredat', 'ts', 'date'],
  event_name: ['eventname', 'event', 'eventtype', 'name', 'type', 'action'],
  path: ['path', 'pathname', 'pagepath', 'page', 'urlpath'],
  url: ['url', 'href', 'pageurl', 'location', 'fullurl'],
  title: ['title', 'pagetitle', 'documenttitle'],
  referrer: ['referrer', 'referer', 'referrerurl', 'documentreferrer', 'ref'],
  utm_source: ['utmsource', 'source'],
  utm_medium: ['utmmedium', 'medium'],
  utm_campaign: ['utmcampaign', 'campaign'],
  utm_term: ['utmterm', 'term'],
  utm_content: ['utmcontent', 'content'],
  country: ['country', 'countrycode', 'geocountry'],
  region: ['region', 'subdivision', 'state', 'geoRegion'],
  city: ['city', 'geocity'],
  device_type: ['devicetype', 'device', 'devicecategory'],
  browser_name: ['browsername', 'browser'],
  os_name: ['osname', 'os', 'operatingsystem', 'platform'],
  started_at: ['startedat', 'starttime', 'sessionstart', 'sessionstarttime', 'sessionstartedat', 'firstseen', 'firstseenat', 'start'],
  ended_at: ['endedat', 'endtime', 'sessionend', 'sessionendtime', 'lastseen', 'lastseenat', 'end'],
  duration: ['duration', 'durationseconds', 'sessionduration'],
  landing_path: ['landingpath', 'landingpage', 'entrypage', 'entrypath', 'firstpage'],
  exit_path: ['exitpath', 'exitpage', 'lastpage'],
  pageviews: ['pageviews', 'pageviewcount', 'views', 'screenviews'],
  events: ['events', 'eventcount', 'hits'],
};

export const normaliseHeader = (name: string) => name.toLowerCase().replace(/[\s_.-]/g, '');

/** Column index of each field found; absent fields are missing. */
export type ColumnMap = Partial<Record<Field, number>>;

/**
 * Matches headers to fields: explicit `map` entries (field=header) first, then synonyms in
 * their order of preference. Throws when `map` names an unknown field or a missing header.
 */
export function mapColumns(headers: string[], map: Record<string, string> = {}): ColumnMap {
  const result: ColumnMap = {};
  const taken = new Set<number>();
  for (const [field, header] of Object.entries(map)) {
    if (!(FIELDS as readonly string[]).includes(field)) {
      throw new UserError(`--map ${field}=${header}: unknown field "${field}"; fields are ${FIELDS.join(', ')}`);
    }
    let index = headers.indexOf(header);
    if (index < 0) index = headers.findIndex((h) => normaliseHeader(h) === normaliseHeader(header));
    if (index < 0) throw new UserError(`--map ${field}=${header}: the file has no column "${header}" (columns: ${headers.join(', ')})`);
    result[field as Field] = index;
    taken.add(index);
  }
  const normalised = headers.map(normaliseHeader);
  for (const field of FIELDS) {
    if (result[field] !== undefined) continue;
    for (const synonym of SYNONYMS[field]) {
      const index = normalised.findIndex((h, i) => h === synonym.toLowerCase() && !taken.has(i));
      if (index >= 0) {
        result[field] = index;
        taken.add(index);
        break;
      }
    }
  }
  return result;
}

export type ExportKind = 'events' | 'sessions';

/** Which kind of export these columns make, or null when neither. */
export function kindOf(columns: ColumnMap, wanted?: ExportKind): ExportKind | null {
  const events = columns.session_id !== undefined && columns.time !== undefined;
  const sessions = columns.session_id !== undefined && (columns.started_at !== undefined || columns.time !== undefined);
  if (wanted === 'sessions') return sessions ? 'sessions' : null;
  if (wanted === 'events') return events ? 'events' : null;
  if (events) return 'events';
  return columns.session_id !== undefined && columns.started_at !== undefined ? 'sessions' : null;
}

export const EXPECTED =
  'expected a Databuddy export (a ZIP with events.csv, events.json or events.txt, or one of those files) or an events/sessions export ' +
  'in CSV, TSV, NDJSON or a JSON array, with a header naming a session id (session_id, sessionId, sid, did_session) and a time ' +
  '(time, timestamp, created_at…) or, for sessions, a start time (started_at, session_start…)';
