import type { Migration } from './types.js';

/** Sensor samples and their 15-minute aggregates; the ledger of history imports. */
export const migration003Sensors: Migration = {
  version: 3,
  name: 'sensors',
  up(db) {
    db.exec(`
      -- Raw samples, pruned after storage.rawRetentionDays; a redelivered sample is ignored.
      CREATE TABLE sensor_samples (
        sensor_id      TEXT    NOT NULL,
        ts_ms          INTEGER NOT NULL,
        value          REAL    NOT NULL,
        received_at_ms INTEGER NOT NULL,
        PRIMARY KEY (sensor_id, ts_ms)
      ) WITHOUT ROWID;
      CREATE INDEX sensor_samples_ts ON sensor_samples (ts_ms);

      -- 15-minute aggregates, kept for forecasting. space_id '' marks a site-level sensor.
      CREATE TABLE sensor_quarters (
        sensor_id   TEXT    NOT NULL,
        start_ms    INTEGER NOT NULL,
        site_id     TEXT    NOT NULL,
        space_id    TEXT    NOT NULL,
        kind        TEXT    NOT NULL,
        value_sum   REAL    NOT NULL,
        count       INTEGER NOT NULL CHECK (count >= 0),
        occupied_ms INTEGER NOT NULL CHECK (occupied_ms >= 0),
        observed_ms INTEGER NOT NULL CHECK (observed_ms >= 0),
        PRIMARY KEY (sensor_id, start_ms)
      ) WITHOUT ROWID;
      CREATE INDEX sensor_quarters_space ON sensor_quarters (site_id, space_id, kind, start_ms);

      -- One row per imported file and meter: re-importing the same file is recognised.
      CREATE TABLE history_imports (
        import_id        INTEGER PRIMARY KEY AUTOINCREMENT,
        meter_id         TEXT    NOT NULL,
        file_name        TEXT    NOT NULL,
        file_sha256      TEXT    NOT NULL,
        options_key      TEXT    NOT NULL,
        from_ms          INTEGER NOT NULL,
        to_ms            INTEGER NOT NULL,
        rows             INTEGER NOT NULL,
        written          INTEGER NOT NULL,
        skipped_live     INTEGER NOT NULL,
        imported_at_ms   INTEGER NOT NULL,
        UNIQUE (meter_id, file_sha256, options_key)
      );
      -- Which interval rows an import owns: a later import replaces them instead of adding to them,
      -- and rows not listed here came from live ingest.
      CREATE TABLE history_import_intervals (
        meter_id  TEXT    NOT NULL,
        minutes   INTEGER NOT NULL,
        start_ms  INTEGER NOT NULL,
        import_id INTEGER NOT NULL REFERENCES history_imports (import_id),
        PRIMARY KEY (meter_id, minutes, start_ms)
      ) WITHOUT ROWID;
    `);
  },
};
