import type { EndUse } from '../../../domain/energy.js';
import type { IntervalStore } from '../../../ports/stores.js';

const HOUR_MS = 3_600_000;
/** Hours older than this are summed once and kept: late readings rarely reach that far back. */
const SETTLED_MS = 2 * 24 * HOUR_MS;

export interface MeteredSpace {
  readonly siteId: string;
  readonly spaceId: string;
  readonly meters: readonly { readonly measures: EndUse }[];
}

/**
 * Each space's consumption to date, kWh, for a `total_increasing` sensor. A space with a `total`
 * meter counts that meter alone (it already holds the others), else every end use. Settled hours
 * are summed once; only the last two days are read on each call. The figure never goes down
 * (Home Assistant would read a fall as a meter reset): a late reading in a settled hour shows
 * after the next start, and a meter removed from the config holds the figure until it catches up.
 */
export class SpaceConsumption {
  private readonly settled = new Map<
    string,
    { readonly untilMs: number; readonly kWh: number; readonly rows: number }
  >();
  private readonly published = new Map<string, number>();

  constructor(private readonly intervals: IntervalStore) {}

  /** Undefined until the space has an hourly interval with energy. */
  totalKWh(space: MeteredSpace, nowMs: number): number | undefined {
    const key = `${space.siteId}/${space.spaceId}`;
    const onlyTotal = space.meters.some((m) => m.measures === 'total');
    const settledUntilMs = Math.floor((nowMs - SETTLED_MS) / HOUR_MS) * HOUR_MS;
    let settled = this.settled.get(key) ?? { untilMs: 0, kWh: 0, rows: 0 };
    if (settledUntilMs > settled.untilMs) {
      const more = this.sum(space, onlyTotal, settled.untilMs, settledUntilMs);
      settled = { untilMs: settledUntilMs, kWh: settled.kWh + more.kWh, rows: settled.rows + more.rows };
      this.settled.set(key, settled);
    }
    const recent = this.sum(space, onlyTotal, settled.untilMs, nowMs + HOUR_MS);
    if (settled.rows + recent.rows === 0) return undefined;
    const total = Math.max(settled.kWh + recent.kWh, this.published.get(key) ?? 0);
    this.published.set(key, total);
    return total;
  }

  /** Forgets a space that left the config. */
  forget(siteId: string, spaceId: string): void {
    this.settled.delete(`${siteId}/${spaceId}`);
    this.published.delete(`${siteId}/${spaceId}`);
  }

  private sum(space: MeteredSpace, onlyTotal: boolean, fromMs: number, toMs: number) {
    let kWh = 0;
    let rows = 0;
    if (toMs <= fromMs) return { kWh, rows };
    const found = this.intervals.intervalsFor({
      spaceId: space.spaceId,
      minutes: 60,
      fromMs,
      toMs,
      ...(onlyTotal ? { endUse: 'total' as const } : {}),
    });
    for (const r of found) {
      if (r.siteId !== space.siteId || r.energyKWh === null) continue;
      kWh += r.energyKWh;
      rows++;
    }
    return { kWh, rows };
  }
}
