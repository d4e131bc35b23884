import { DateTime } from 'luxon';
import type { SavingsConfig } from '../../config/schema/analytics.js';
import type { EndUse } from '../../domain/energy.js';

const DAY_MS = 86_400_000;

export interface Period {
  readonly fromMs: number;
  readonly toMs: number;
  /** True when the period comes from a config entry, false when it is the automatic one. */
  readonly configured?: boolean;
}

/** Local midnight starting a YYYY-MM-DD day in a zone. */
export function localMidnightMs(date: string, timeZone: string): number {
  return DateTime.fromISO(date, { zone: timeZone }).startOf('day').toMillis();
}

/** Local date YYYY-MM-DD of an instant. */
export function localDate(tMs: number, timeZone: string): string {
  return DateTime.fromMillis(tMs, { zone: timeZone }).toISODate() as string;
}

/**
 * The baseline period of a series: the most specific configured entry (site, space, end use each
 * count), else the `baselineDays` before `reportingStartMs` (for a space in active control, the
 * hour it first went active: what was gathered before is its baseline).
 */
export function baselinePeriod(
  config: SavingsConfig,
  key: { siteId: string; spaceId: string; endUse: EndUse },
  timeZone: string,
  reportingStartMs: number,
): Period {
  let best: { from: string; to: string; score: number } | undefined;
  for (const b of config.baselines) {
    if (b.site !== undefined && b.site !== key.siteId) continue;
    if (b.space !== undefined && b.space !== key.spaceId) continue;
    if (b.endUse !== undefined && b.endUse !== key.endUse) continue;
    const score =
      Number(b.site !== undefined) + Number(b.space !== undefined) * 2 + Number(b.endUse !== undefined) * 4;
    if (!best || score > best.score) best = { from: b.from, to: b.to, score };
  }
  if (best) {
    const toDay = DateTime.fromISO(best.to, { zone: timeZone }).plus({ days: 1 }).toISODate() as string;
    return {
      fromMs: localMidnightMs(best.from, timeZone),
      toMs: localMidnightMs(toDay, timeZone),
      configured: true,
    };
  }
  return {
    fromMs: reportingStartMs - config.baselineDays * DAY_MS,
    toMs: reportingStartMs,
    configured: false,
  };
}
