import type Database from 'better-sqlite3';

/**
 * The newest reading: readings have no index on time alone, so this walks their (meter, time) key,
 * two seeks a meter (the next meter, its newest reading).
 */
const NEWEST_READING = `
  WITH RECURSIVE meter(id) AS (
    SELECT min(meter_id) FROM readings
    UNION ALL
    SELECT (SELECT min(meter_id) FROM readings WHERE meter_id > meter.id) FROM meter
    WHERE meter.id IS NOT NULL
  )
  SELECT max((SELECT max(ts_ms) FROM readings WHERE meter_id = meter.id)) FROM meter
  WHERE meter.id IS NOT NULL`;

/**
 * The newest time the store holds data for: raw readings, sensor samples, 15-minute intervals and
 * setpoint decisions. Each is a MAX over an indexed column (readings: per meter), so this is a few
 * index seeks. Null for an empty store.
 */
export function newestStoredDataMs(db: Database.Database): number | null {
  const queries = [
    NEWEST_READING,
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
