import { checkInterval, mergeInterval } from '../../../src/adapters/sqlite/checks.js';
import type { EndUse, IntervalMinutes } from '../../../src/domain/energy.js';
import type { IntervalRow, IntervalStore } from '../../../src/ports/stores.js';
import { byKeys } from './compare.js';

/** In-memory IntervalStore with the same accumulation rule as the SQLite one (mergeInterval). */
export class MemoryIntervalStore implements IntervalStore {
  private readonly rows = new Map<string, IntervalRow>();

  addIntervals(rows: readonly IntervalRow[]): void {
    for (const r of rows) checkInterval(r);
    for (const r of rows) {
      const key = `${r.meterId}\u0000${r.minutes}\u0000${r.startMs}`;
      const existing = this.rows.get(key);
      this.rows.set(key, existing === undefined ? { ...r } : mergeInterval(existing, r));
    }
  }

  intervalsFor(query: {
    readonly meterId?: string;
    readonly spaceId?: string;
    readonly endUse?: EndUse;
    readonly minutes: IntervalMinutes;
    readonly fromMs: number;
    readonly toMs: number;
  }): IntervalRow[] {
    return [...this.rows.values()]
      .filter(
        (r) =>
          r.minutes === query.minutes &&
          r.startMs >= query.fromMs &&
          r.startMs < query.toMs &&
          (query.meterId === undefined || r.meterId === query.meterId) &&
          (query.spaceId === undefined || r.spaceId === query.spaceId) &&
          (query.endUse === undefined || r.endUse === query.endUse),
      )
      .sort(
        byKeys(
          (r) => r.startMs,
          (r) => r.meterId,
        ),
      )
      .map((r) => ({ ...r }));
  }

  countIntervalsBySpace(minutes: IntervalMinutes): Map<string, number> {
    const counts = new Map<string, number>();
    const spaces = [...this.rows.values()].filter((r) => r.minutes === minutes).map((r) => r.spaceId);
    for (const space of spaces.sort()) counts.set(space, (counts.get(space) ?? 0) + 1);
    return counts;
  }
}
