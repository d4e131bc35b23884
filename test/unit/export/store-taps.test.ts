import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/adapters/clock/manual-clock.js';
import { openDatabase } from '../../../src/adapters/sqlite/database.js';
import { createSqliteStores, sqliteAtomically } from '../../../src/adapters/sqlite/index.js';
import type { PointSink, SeriesPoint } from '../../../src/ports/series-export.js';
import { StoreTaps } from '../../../src/services/export/store-taps.js';
import { MemoryCounterStore, MemoryIntervalStore } from '../../helpers/fakes/index.js';
import { captureLogger } from '../../helpers/logger.js';

const row = (startMs: number, kWh: number) => ({
  meterId: 'm1',
  siteId: 'a',
  spaceId: 'lobby',
  endUse: 'lighting' as const,
  minutes: 15 as const,
  startMs,
  energyKWh: kWh,
  coverage: 1,
  missing: false,
});

function taps(sink: PointSink) {
  return new StoreTaps({ sink, clock: new ManualClock(1_000), sites: () => [], log: captureLogger() });
}

describe('StoreTaps', () => {
  it('exports the stored total of each quarter touched, and leaves other members to the store', () => {
    const written: SeriesPoint[] = [];
    const store = new MemoryIntervalStore();
    const tapped = taps({ write: (p) => written.push(...p) }).intervals(store);
    tapped.addIntervals([row(0, 0.1), { ...row(0, 0.4), minutes: 60 }]);
    tapped.addIntervals([row(0, 0.2), row(900_000, 0.3)]);
    expect(written.map((p) => [p.tsMs, p.fields.kwh])).toEqual([
      [0, 0.1],
      [0, expect.closeTo(0.3, 9)],
      [900_000, 0.3],
    ]);
    expect(tapped.countIntervalsBySpace(15)).toEqual(store.countIntervalsBySpace(15));
  });

  it('keeps the store written when exporting fails', () => {
    const store = new MemoryIntervalStore();
    const tapped = taps({
      write: () => {
        throw new Error('sink broken');
      },
    }).intervals(store);
    expect(() => tapped.addIntervals([row(0, 0.1)])).not.toThrow();
    expect(store.intervalsFor({ meterId: 'm1', minutes: 15, fromMs: 0, toMs: 1 })).toHaveLength(1);
  });

  it('exports rejections as running totals that start from the stored count', () => {
    const written: SeriesPoint[] = [];
    const store = new MemoryCounterStore();
    store.increment('m1', 'negative', 4);
    const tapped = taps({ write: (p) => written.push(...p) }).rejections(store);
    tapped.increment('m1', 'negative');
    tapped.increment('m1', 'negative', 2);
    tapped.increment('(unknown)', 'unknown-topic');
    expect(written.map((p) => [p.tags.device ?? p.tags.meter, p.tags.kind, p.fields.total])).toEqual([
      ['m1', 'negative', 5],
      ['m1', 'negative', 7],
      ['(unknown)', 'unknown-topic', 1],
    ]);
  });

  it('exports the stored total after a flush that rolled back, without drift', () => {
    const database = openDatabase(':memory:');
    try {
      const written: SeriesPoint[] = [];
      const tapped = taps({ write: (p) => written.push(...p) }).rejections(
        createSqliteStores(database.db).rejections,
      );
      const atomically = sqliteAtomically(database.db);
      tapped.increment('m1', 'negative', 3);
      expect(() =>
        atomically(() => {
          tapped.increment('m1', 'negative', 2);
          throw new Error('the inbox release failed');
        }),
      ).toThrow('inbox release');
      atomically(() => tapped.increment('m1', 'negative', 2));
      expect(written.map((p) => p.fields.total)).toEqual([3, 5, 5]);
    } finally {
      database.close();
    }
  });
});
