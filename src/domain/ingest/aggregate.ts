import type { EndUse, IntervalMinutes } from '../energy.js';
import type { IntervalRow } from './interval-row.js';

/**
 * Energy of one space and end use in one interval, summed over its meters. `energyKWh` is null when
 * any meter of the group is missing the interval (a partial sum would read as a saving), and
 * `coverage` is the lowest among the group's meters (0 when one is missing).
 */
export interface SpaceIntervalRow extends Omit<IntervalRow, 'meterId'> {
  readonly meterCount: number;
}

interface Acc {
  siteId: string;
  spaceId: string;
  endUse: EndUse;
  minutes: IntervalMinutes;
  startMs: number;
  energyKWh: number;
  missing: boolean;
  meters: Map<string, { coverage: number; missing: boolean }>;
}

/**
 * Rolls per-meter interval rows (already accumulated per meter and interval, as the store returns
 * them) up to space and end use. Sorted by site, space, end use, minutes, start.
 */
export function aggregateBySpace(rows: readonly IntervalRow[]): SpaceIntervalRow[] {
  const groups = new Map<string, Acc>();
  for (const row of rows) {
    const key = `${row.siteId}|${row.spaceId}|${row.endUse}|${row.minutes}|${row.startMs}`;
    let acc = groups.get(key);
    if (!acc) {
      acc = { ...row, energyKWh: 0, missing: false, meters: new Map() };
      groups.set(key, acc);
    }
    const meter = acc.meters.get(row.meterId) ?? { coverage: 0, missing: false };
    meter.coverage += row.coverage;
    meter.missing ||= row.missing;
    acc.meters.set(row.meterId, meter);
    if (row.missing) acc.missing = true;
    else acc.energyKWh += row.energyKWh ?? 0;
  }
  const out: SpaceIntervalRow[] = [];
  for (const acc of groups.values()) {
    let coverage = 1;
    for (const m of acc.meters.values())
      coverage = Math.min(coverage, m.missing ? 0 : Math.min(1, m.coverage));
    out.push({
      siteId: acc.siteId,
      spaceId: acc.spaceId,
      endUse: acc.endUse,
      minutes: acc.minutes,
      startMs: acc.startMs,
      energyKWh: acc.missing ? null : acc.energyKWh,
      coverage,
      missing: acc.missing,
      meterCount: acc.meters.size,
    });
  }
  return out.sort(
    (a, b) =>
      a.siteId.localeCompare(b.siteId) ||
      a.spaceId.localeCompare(b.spaceId) ||
      a.endUse.localeCompare(b.endUse) ||
      a.minutes - b.minutes ||
      a.startMs - b.startMs,
  );
}
