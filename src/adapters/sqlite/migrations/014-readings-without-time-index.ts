import type { Migration } from './types.js';

/**
 * Readings lose their index on time alone. Every stored reading inserted an entry there: a drain
 * of 20,000 meters stored 38,220 readings a second without it, 31,342 and 33,009 with it
 * (docs/benchmarks.md). Retention and the newest-data query walk the (meter, time) key meter by
 * meter instead.
 */
export const migration014ReadingsWithoutTimeIndex: Migration = {
  version: 14,
  name: 'readings-without-time-index',
  up(db) {
    db.exec('DROP INDEX readings_ts');
  },
};
