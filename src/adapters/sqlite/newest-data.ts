import type Database from 'better-sqlite3';

/**
 * The newest time the store holds data for: raw readings, sensor samples, 15-minute intervals and
 * setpoint decisions. Each is a MAX over an indexed column, so this is four index seeks. Null for an
 * empty store.
 */
export function newestStoredDataMs(db: Database.Database): number | null {
  const queries = [
    'SELECT MAX(ts_ms) FROM readings',
    'SELECT MAX(ts_ms) FROM sensor_samples',
    'SELECT MAX(start_ms) FROM intervals WHERE minutes = 15',
    'SELECT MAX(decided_at_ms) FROM setpoint_audit',
  ];
  let newest: number | null = null;
  for (const sql of queries) {
    const v = db.prepare(sql).pluck().get() as number | null;
    if (v !== null && (newest === null || v > newest)) newest = v;
  }
  return newest;
}
