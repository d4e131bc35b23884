import { checkReading } from '../../../src/adapters/sqlite/checks.js';
import type { ReadingStore, StoredReading } from '../../../src/ports/stores.js';

/** In-memory ReadingStore: one reading per (meter, timestamp), first delivery wins. */
export class MemoryReadingStore implements ReadingStore {
  private readonly byMeter = new Map<string, Map<number, StoredReading>>();

  appendReadings(readings: readonly StoredReading[]): void {
    for (const r of readings) checkReading(r);
    for (const r of readings) {
      let series = this.byMeter.get(r.meterId);
      if (series === undefined) {
        series = new Map();
        this.byMeter.set(r.meterId, series);
      }
      if (!series.has(r.tsMs)) series.set(r.tsMs, { ...r });
    }
  }

  pruneReadingsBefore(cutoffMs: number): number {
    let removed = 0;
    for (const series of this.byMeter.values()) {
      for (const ts of [...series.keys()]) {
        if (ts < cutoffMs) {
          series.delete(ts);
          removed++;
        }
      }
    }
    return removed;
  }

  readingsFor(meterId: string, fromMs: number, toMs: number): StoredReading[] {
    const series = this.byMeter.get(meterId);
    if (series === undefined) return [];
    return [...series.values()]
      .filter((r) => r.tsMs >= fromMs && r.tsMs < toMs)
      .sort((a, b) => a.tsMs - b.tsMs)
      .map((r) => ({ ...r }));
  }

  countReadings(meterId?: string): number {
    if (meterId !== undefined) return this.byMeter.get(meterId)?.size ?? 0;
    let n = 0;
    for (const series of this.byMeter.values()) n += series.size;
    return n;
  }
}
