import type { Migration } from './types.js';

/**
 * The time-series sink's outbox and dead letters. AUTOINCREMENT so that ids keep growing after the
 * newest rows were sent and deleted: the outbox is read in id order, which is the order of writing,
 * also across restarts.
 */
export const migration009InfluxOutbox: Migration = {
  version: 9,
  name: 'influx-outbox',
  up(db) {
    db.exec(`
      CREATE TABLE influx_outbox (
        id             INTEGER PRIMARY KEY AUTOINCREMENT,
        line           TEXT    NOT NULL,
        enqueued_at_ms INTEGER NOT NULL
      );
      CREATE TABLE influx_dead_letter (
        id             INTEGER PRIMARY KEY AUTOINCREMENT,
        line           TEXT    NOT NULL,
        status         INTEGER,
        reason         TEXT    NOT NULL,
        enqueued_at_ms INTEGER NOT NULL,
        failed_at_ms   INTEGER NOT NULL
      );
    `);
  },
};
