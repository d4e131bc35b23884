import type { Migration } from './types.js';

/**
 * The inbox without its (consumer, seq) index: every inbound message inserted and later deleted a
 * row in that second B-tree too. Replay reads a consumer's rows in seq order (the table's own key)
 * and filters by consumer, one pass over what the inbox holds per consumer at start-up. Only the
 * rows no consumer has claimed yet, which every subscription before `settle` looks for, keep an
 * index: a partial one, which rows of a consumer never enter.
 */
export const migration012InboxWithoutIndex: Migration = {
  version: 12,
  name: 'inbox-without-index',
  up(db) {
    db.exec(`
      DROP INDEX IF EXISTS inbound_inbox_consumer;
      CREATE INDEX inbound_inbox_unrouted ON inbound_inbox (seq) WHERE consumer = '';
    `);
  },
};
