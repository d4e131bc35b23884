import type { Migration } from './types.js';

/**
 * Meter state as a compact binary record (domain/ingest/window-codec.ts) instead of JSON text: the
 * column becomes `state BLOB`. Rows already stored keep their JSON text (SQLite keeps each value's
 * own type), which ingest still reads and replaces with a record at the meter's next change.
 */
export const migration011MeterStateBlob: Migration = {
  version: 11,
  name: 'meter-state-blob',
  up(db) {
    db.exec(`
      CREATE TABLE meter_state_new (
        meter_id TEXT PRIMARY KEY,
        state    BLOB NOT NULL
      ) WITHOUT ROWID;
      INSERT INTO meter_state_new (meter_id, state) SELECT meter_id, state_json FROM meter_state;
      DROP TABLE meter_state;
      ALTER TABLE meter_state_new RENAME TO meter_state;
    `);
  },
};
