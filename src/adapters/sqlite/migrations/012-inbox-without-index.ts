import type { Migration } from './types.js';

/**
 * The inbox without its (consumer, seq) index: every inbound message inserted and later deleted a
 * row in that second B-tree too, about a third of the inbox's write cost per reading. Replay reads
 * the rows in seq order (the table's own key) and filters by consumer, which costs one pass over
 * what the inbox holds, at start-up only.
 */
export const migration012InboxWithoutIndex: Migration = {
  version: 12,
  name: 'inbox-without-index',
  up(db) {
    db.exec('DROP INDEX IF EXISTS inbound_inbox_consumer');
  },
};
