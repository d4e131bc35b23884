import type { Migration } from './types.js';

/** Raw readings, interval aggregates, meter state, settings and rejection counters. */
export const migration001Core: Migration = {
  version: 1,
  name: 'core',
  up(db) {
    db.exec(`
      -- One row per meter and timestamp: a duplicate delivery of the same reading is ignored.
      CREATE TABLE readings (
        meter_id       TEXT    NOT NULL,
        ts_ms          INTEGER NOT NULL,
        energy_kwh     REAL,
        power_w        REAL,
        received_at_ms INTEGER NOT NULL,
        PRIMARY KEY (meter_id, ts_ms)
      ) WITHOUT ROWID;
      -- Retention prunes by time across all meters.
      CREATE INDEX readings_ts ON readings (ts_ms);

      CREATE TABLE intervals (
        meter_id   TEXT    NOT NULL,
        minutes    INTEGER NOT NULL CHECK (minutes IN (15, 60)),
        start_ms   INTEGER NOT NULL,
        site_id    TEXT    NOT NULL,
        space_id   TEXT    NOT NULL,
        end_use    TEXT    NOT NULL,
        energy_kwh REAL,
        coverage   REAL    NOT NULL CHECK (coverage >= 0 AND coverage <= 1),
        missing    INTEGER NOT NULL CHECK (missing IN (0, 1)),
        CHECK ((missing = 1) = (energy_kwh IS NULL)),
        PRIMARY KEY (meter_id, minutes, start_ms)
      ) WITHOUT ROWID;
      CREATE INDEX intervals_space ON intervals (space_id, minutes, start_ms);
      -- Roll-ups over every meter for a period (savings, banner counts).
      CREATE INDEX intervals_time ON intervals (minutes, start_ms);

      CREATE TABLE meter_state (
        meter_id   TEXT PRIMARY KEY,
        state_json TEXT NOT NULL
      );

      CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );

      CREATE TABLE rejection_counts (
        meter_id TEXT    NOT NULL,
        reason   TEXT    NOT NULL,
        count    INTEGER NOT NULL CHECK (count >= 0),
        PRIMARY KEY (meter_id, reason)
      ) WITHOUT ROWID;
    `);
  },
};
