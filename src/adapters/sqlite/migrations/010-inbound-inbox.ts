import type { Migration } from './types.js';

/**
 * The write-ahead inbox of inbound readings and samples (src/ports/inbox.ts): each row is appended
 * before the broker is acknowledged and deleted in the transaction that stores its effect. One row
 * per consumer (`ingest`, `sensors`; '' until one claims it). AUTOINCREMENT keeps seqs growing after
 * the newest rows were deleted, so replay order is arrival order, also across restarts.
 */
export const migration010InboundInbox: Migration = {
  version: 10,
  name: 'inbound-inbox',
  up(db) {
    db.exec(`
      CREATE TABLE inbound_inbox (
        seq            INTEGER PRIMARY KEY AUTOINCREMENT,
        consumer       TEXT    NOT NULL,
        topic          TEXT    NOT NULL,
        payload        BLOB    NOT NULL,
        retained       INTEGER NOT NULL,
        received_at_ms INTEGER NOT NULL
      );
      CREATE INDEX inbound_inbox_consumer ON inbound_inbox (consumer, seq);
    `);
  },
};
