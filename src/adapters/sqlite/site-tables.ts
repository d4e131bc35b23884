import type Database from 'better-sqlite3';

/**
 * The tables that hold one site's data, and how a site's rows are told apart in each: by the site
 * id where the table has one, else by the site's meter or sensor ids (readings and samples carry
 * only those). Instance-wide tables stay behind: the inbox (emptied by a clean stop), the InfluxDB
 * outbox, tokens and sessions, the command sequence and the simulated clock.
 */
export interface SiteTable {
  readonly table: string;
  /** A WHERE clause over the table's columns; `:site` is the site id. */
  readonly where: string;
  /** An id the target numbers itself (AUTOINCREMENT): left out on import. */
  readonly renumbered?: string;
}

/** Temp tables of the site's meter and sensor ids, filled before the clauses are used. */
export const METERS = 'temp.qw_site_meters';
export const SENSORS = 'temp.qw_site_sensors';

const byMeter = `meter_id IN (SELECT id FROM ${METERS})`;
const bySensor = `sensor_id IN (SELECT id FROM ${SENSORS})`;
const bySite = 'site_id = :site';

/** Settings keyed by a site (verification designs) or by its spaces and devices (`<site>/...`). */
const SITE_SETTINGS = [
  "key = 'savings.verification.' || :site",
  ...['thermal', 'commissioning', 'override', 'fullOutputLux'].map(
    (kind) =>
      `substr(key, 1, length('control.${kind}.' || :site || '/')) = 'control.${kind}.' || :site || '/'`,
  ),
].join(' OR ');

/** In insert order; deletes go in reverse (history_import_intervals refers to history_imports). */
export const SITE_TABLES: readonly SiteTable[] = [
  { table: 'readings', where: byMeter },
  { table: 'intervals', where: bySite },
  { table: 'meter_state', where: byMeter },
  { table: 'rejection_counts', where: byMeter },
  { table: 'sensor_samples', where: bySensor },
  { table: 'sensor_quarters', where: bySite },
  { table: 'model_registry', where: bySite },
  { table: 'setpoint_audit', where: bySite },
  { table: 'savings_ledger', where: bySite },
  { table: 'savings_ledger_daily', where: bySite },
  { table: 'savings_ledger_daily_zone', where: bySite },
  { table: 'alerts', where: bySite, renumbered: 'alert_id' },
  { table: 'command_log', where: bySite, renumbered: 'id' },
  { table: 'settings', where: `(${SITE_SETTINGS})` },
];

/** History imports are numbered by the store: moved row by row, their interval claims renumbered. */
export const HISTORY_IMPORTS = { table: 'history_imports', where: byMeter } as const;
export const HISTORY_IMPORT_INTERVALS = { table: 'history_import_intervals', where: byMeter } as const;

/**
 * Tables that hold nothing of a site, or nothing that moves with it: SQLite's own, the write-ahead
 * inbox (a clean stop empties it), the InfluxDB outbox and its dead letters (the old instance sends
 * them), API tokens and sessions (per instance: a token for the site is made on the new one).
 */
export const INSTANCE_TABLES: readonly string[] = [
  'schema_migrations',
  'sqlite_sequence',
  'inbound_inbox',
  'influx_outbox',
  'influx_dead_letter',
  'access_tokens',
  'access_sessions',
];

/** Every operator mode sits in one settings row keyed `site/space`: the site's entries move. */
export const SPACE_MODES_KEY = 'operations.spaceModes';

/** Column names of a table in the given schema, in order. */
export function columnsOf(db: Database.Database, schema: string, table: string): string[] {
  return (
    db.prepare(`SELECT name FROM pragma_table_info(?, ?)`).all(table, schema) as { name: string }[]
  ).map((c) => c.name);
}

/** Creates and fills the temp tables of meter and sensor ids the clauses refer to. */
export function fillIdTables(
  db: Database.Database,
  meterIds: readonly string[],
  sensorIds: readonly string[],
): void {
  for (const [table, ids] of [
    [METERS, meterIds],
    [SENSORS, sensorIds],
  ] as const) {
    db.exec(`DROP TABLE IF EXISTS ${table}; CREATE TABLE ${table} (id TEXT PRIMARY KEY)`);
    const insert = db.prepare(`INSERT OR IGNORE INTO ${table} (id) VALUES (?)`);
    for (const id of ids) insert.run(id);
  }
}

/** Copies the site's rows of one table from schema `from` to schema `to`. Returns the rows copied. */
export function copyRows(
  db: Database.Database,
  t: SiteTable,
  from: string,
  to: string,
  site: string,
  keepIds: boolean,
): number {
  const cols = columnsOf(db, to, t.table)
    .filter((c) => keepIds || c !== t.renumbered)
    .map((c) => `"${c}"`)
    .join(', ');
  return db
    .prepare(`INSERT INTO ${to}.${t.table} (${cols}) SELECT ${cols} FROM ${from}.${t.table} WHERE ${t.where}`)
    .run({ site }).changes;
}

/** Rows of the site in one table of `schema`. */
export function countRows(
  db: Database.Database,
  t: Pick<SiteTable, 'table' | 'where'>,
  schema: string,
  site: string,
): number {
  return (
    db.prepare(`SELECT count(*) AS n FROM ${schema}.${t.table} WHERE ${t.where}`).get({ site }) as {
      n: number;
    }
  ).n;
}
