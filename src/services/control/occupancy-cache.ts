import { IANAZone } from 'luxon';
import { slotOfWeek } from '../../domain/planning/occupancy-profile.js';
import { HORIZON_SLOTS, SLOT_MS } from '../../domain/planning/types.js';
import type { OccupancyFraction } from '../../domain/sensors/types.js';

/** Occupancy history of a space per 15 minutes (the sensor store), for the occupancy forecast. */
export type OccupancyHistory = (
  siteId: string,
  spaceId: string,
  fromMs: number,
  toMs: number,
) => readonly OccupancyFraction[];

export const HISTORY_DAYS = 28;
const DAY_MS = 86_400_000;
/** Probability of a slot of the week never observed: keeps a cold start on the schedule's side. */
export const PRIOR_PROBABILITY = 0.5;
/** Weight of the prior, in observed weeks. */
const PRIOR_WEEKS = 1;
/** Recent quarters are read again at every plan: a late sensor sample may still change them. */
const REREAD_MS = 60 * 60_000;

interface Quarter {
  readonly startMs: number;
  readonly week: number;
  readonly hit: boolean;
}

interface Counts {
  n: number;
  hits: number;
}

interface Entry {
  readonly zone: IANAZone;
  /** Observed quarters of the window, oldest first. */
  quarters: Quarter[];
  readonly counts: Map<number, Counts>;
  /** History has been read up to here (exclusive). */
  toMs: number;
}

/** Local slot of the week of each horizon slot; one zone lookup when the offset holds all day. */
export function horizonWeekSlots(startMs: number, zone: IANAZone): number[] {
  const endMs = startMs + (HORIZON_SLOTS - 1) * SLOT_MS;
  const first = slotOfWeek(startMs, zone);
  if (zone.offset(startMs) !== zone.offset(endMs))
    return Array.from({ length: HORIZON_SLOTS }, (_, i) => slotOfWeek(startMs + i * SLOT_MS, zone));
  const perWeek = (7 * DAY_MS) / SLOT_MS;
  return Array.from({ length: HORIZON_SLOTS }, (_, i) => (first + i) % perWeek);
}

/**
 * The occupancy profile of every space (share of the last four weeks occupied in each local slot
 * of the week), kept up to date incrementally: a plan reads only the quarters since the last plan
 * (and the last hour again) instead of four weeks, and drops those that left the window. Gives the
 * same probabilities as reading the whole window each time.
 */
export class OccupancyProfileCache {
  private readonly bySpace = new Map<string, Entry>();

  constructor(private readonly history: OccupancyHistory) {}

  /** Probability per horizon slot from `startMs`, or undefined without any observed history. */
  forecast(
    siteId: string,
    spaceId: string,
    timeZone: string,
    startMs: number,
    prior: readonly number[] = [],
  ): number[] | undefined {
    const entry = this.update(siteId, spaceId, timeZone, startMs);
    if (entry.quarters.length === 0) return undefined;
    return horizonWeekSlots(startMs, entry.zone).map((w, i) => {
      const s = entry.counts.get(w);
      const p0 = prior[i] ?? PRIOR_PROBABILITY;
      return ((s?.hits ?? 0) + p0 * PRIOR_WEEKS) / ((s?.n ?? 0) + PRIOR_WEEKS);
    });
  }

  /** Forget everything (a config reload may change spaces or time zones). */
  clear(): void {
    this.bySpace.clear();
  }

  private update(siteId: string, spaceId: string, timeZone: string, startMs: number): Entry {
    const key = `${siteId}/${spaceId}`;
    const fromMs = startMs - HISTORY_DAYS * DAY_MS;
    let entry = this.bySpace.get(key);
    if (!entry || entry.zone.name !== timeZone || startMs < entry.toMs - REREAD_MS || entry.toMs <= fromMs) {
      entry = { zone: IANAZone.create(timeZone), quarters: [], counts: new Map(), toMs: fromMs };
      this.bySpace.set(key, entry);
    }
    const readFrom = Math.max(fromMs, Math.min(entry.toMs, startMs) - REREAD_MS);
    while (entry.quarters.length > 0 && (entry.quarters.at(-1)?.startMs ?? 0) >= readFrom)
      this.remove(entry, entry.quarters.pop() as Quarter);
    for (const q of this.history(siteId, spaceId, readFrom, startMs)) {
      if (q.observed <= 0 || q.startMs < readFrom || q.startMs >= startMs) continue;
      const quarter = { startMs: q.startMs, week: slotOfWeek(q.startMs, entry.zone), hit: q.fraction > 0 };
      entry.quarters.push(quarter);
      const c = entry.counts.get(quarter.week) ?? { n: 0, hits: 0 };
      c.n += 1;
      if (quarter.hit) c.hits += 1;
      entry.counts.set(quarter.week, c);
    }
    let drop = 0;
    while (drop < entry.quarters.length && (entry.quarters[drop]?.startMs ?? 0) < fromMs) drop++;
    for (const q of entry.quarters.slice(0, drop)) this.remove(entry, q);
    if (drop > 0) entry.quarters = entry.quarters.slice(drop);
    entry.toMs = startMs;
    return entry;
  }

  private remove(entry: Entry, q: Quarter): void {
    const c = entry.counts.get(q.week);
    if (!c) return;
    c.n -= 1;
    if (q.hit) c.hits -= 1;
    if (c.n <= 0) entry.counts.delete(q.week);
  }
}
