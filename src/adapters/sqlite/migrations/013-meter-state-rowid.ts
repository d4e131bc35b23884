import type { Migration } from './types.js';

/**
 * Meter state in a rowid table. A state record (about 2.4 KB) is too large for a WITHOUT ROWID
 * row, which keeps at most about 1 KB of a 4 KB page in the tree and the rest in an overflow page:
 * each rewrite dirtied the leaf, a fresh overflow page and the free list. A rowid table's leaf holds
 * the whole record, so a rewrite of the same size dirties one page, and the key's own index is left
 * alone because the key does not change.
 */
export const migration013MeterStateRowid: Migration = {
  version: 13,
  name: 'meter-state-rowid',
  up(db) {
    db.exec(`
      CREATE TABLE meter_state_new (
        meter_id TEXT PRIMARY KEY,
        state    BLOB NOT NULL
      );
      INSERT INTO meter_state_new (meter_id, state) SELECT meter_id, state FROM meter_state;
      DROP TABLE meter_state;
      ALTER TABLE meter_state_new RENAME TO meter_state;
    `);
  },
};
