import type { Migration } from './types.js';

/**
 * Readings lose their index on time alone. Every stored reading inserted an entry there, about a
 * fifth of what a flush at 20,000 meters cost (docs/benchmarks.md); retention and the newest-data
 * query walk the (meter, time) key meter by meter instead.
 */
export const migration014ReadingsWithoutTimeIndex: Migration = {
  version: 14,
  name: 'readings-without-time-index',
  up(db) {
    db.exec('DROP INDEX readings_ts');
  },
};
