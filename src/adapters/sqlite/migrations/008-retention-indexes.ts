import type { Migration } from './types.js';

/**
 * The hourly retention job deletes alerts by the time they were cleared: a partial index on that
 * time lets each batch find its rows by a range read instead of walking every old alert, open ones
 * included.
 */
export const migration008RetentionIndexes: Migration = {
  version: 8,
  name: 'retention-indexes',
  up(db) {
    db.exec(`
      CREATE INDEX alerts_cleared ON alerts (cleared_at_ms) WHERE cleared_at_ms IS NOT NULL;
    `);
  },
};
