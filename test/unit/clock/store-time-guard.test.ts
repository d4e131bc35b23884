import { describe, expect, it } from 'vitest';
import {
  refuseStoreAheadOfClock,
  StoreAheadOfClockError,
} from '../../../src/adapters/clock/store-time-guard.js';
import { createSqliteStores } from '../../../src/adapters/sqlite/create-stores.js';
import { openDatabase } from '../../../src/adapters/sqlite/database.js';
import { newestStoredDataMs } from '../../../src/adapters/sqlite/newest-data.js';

const START_MS = Date.parse('2026-07-06T00:00:00Z');

describe('a store against the lockstep clock start', () => {
  it('an empty store, or one that ends at or before the start, is accepted', () => {
    for (const newestStoredMs of [null, START_MS - 1, START_MS])
      expect(() =>
        refuseStoreAheadOfClock({ clockStartMs: START_MS, newestStoredMs, storageDir: 'var/x' }),
      ).not.toThrow();
  });

  it('one with data after the start is refused, saying where the data end and what to do', () => {
    const attempt = () =>
      refuseStoreAheadOfClock({
        clockStartMs: START_MS,
        newestStoredMs: START_MS + 3_600_000,
        storageDir: 'var/x',
      });
    expect(attempt).toThrow(StoreAheadOfClockError);
    expect(attempt).toThrow(
      'the store in var/x holds data up to 2026-07-06T01:00:00.000Z, after clock.start 2026-07-06T00:00:00.000Z',
    );
    expect(attempt).toThrow(/empty storage\.dir.*clock\.start to 2026-07-06T01:00:00\.000Z or later/);
  });

  it('the newest data are read from the store: here, raw readings', () => {
    const database = openDatabase(':memory:');
    try {
      expect(newestStoredDataMs(database.db)).toBeNull();
      const stores = createSqliteStores(database.db);
      stores.readings.appendReadings([
        { meterId: 'm', tsMs: START_MS + 5 * 60_000, energyKWh: 1, receivedAtMs: START_MS },
        { meterId: 'm', tsMs: START_MS, energyKWh: 0.5, receivedAtMs: START_MS },
      ]);
      expect(newestStoredDataMs(database.db)).toBe(START_MS + 5 * 60_000);
      // Readings are walked meter by meter: the newest may be on any of them.
      stores.readings.appendReadings([
        { meterId: 'a', tsMs: START_MS + 9 * 60_000, energyKWh: 1, receivedAtMs: START_MS },
        { meterId: 'z', tsMs: START_MS + 60_000, energyKWh: 1, receivedAtMs: START_MS },
      ]);
      expect(newestStoredDataMs(database.db)).toBe(START_MS + 9 * 60_000);
    } finally {
      database.close();
    }
  });
});
