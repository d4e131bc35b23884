import { type EndUse, INTERVAL_MINUTES, type IntervalMinutes } from '../../domain/energy.js';
import { apportion, intervalStartMs } from '../../domain/ingest/apportion.js';
import type { IntervalRow } from '../../ports/stores.js';
import type { EnergySpan } from './read-rows.js';

export interface IntervalTarget {
  readonly meterId: string;
  readonly siteId: string;
  readonly spaceId: string;
  readonly endUse: EndUse;
}

/**
 * Energy spans to 15- and 60-minute interval rows, apportioned by time as live ingest does: an
 * interval's energy is the sum of the shares of the spans it overlaps and its coverage the share of
 * it they cover. An interval touched only by missing spans is marked missing (no energy figure).
 */
export function spansToIntervals(spans: readonly EnergySpan[], target: IntervalTarget): IntervalRow[] {
  const rows: IntervalRow[] = [];
  for (const minutes of INTERVAL_MINUTES) rows.push(...forLength(spans, target, minutes));
  return rows;
}

function forLength(
  spans: readonly EnergySpan[],
  target: IntervalTarget,
  minutes: IntervalMinutes,
): IntervalRow[] {
  const acc = new Map<number, { energy: number; coverage: number; known: boolean }>();
  for (const span of spans) {
    if (span.energyKWh === null) {
      for (let t = intervalStartMs(span.startMs, minutes); t < span.endMs; t += minutes * 60_000) {
        if (!acc.has(t)) acc.set(t, { energy: 0, coverage: 0, known: false });
      }
      continue;
    }
    for (const share of apportion(span.startMs, span.endMs, span.energyKWh, minutes)) {
      const held = acc.get(share.startMs) ?? { energy: 0, coverage: 0, known: false };
      held.energy += share.energyKWh;
      held.coverage += share.coverage;
      held.known = true;
      acc.set(share.startMs, held);
    }
  }
  return [...acc.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([startMs, v]) => ({
      ...target,
      minutes,
      startMs,
      energyKWh: v.known ? v.energy : null,
      // Float sums of shares can overshoot 1 by an ulp.
      coverage: v.known ? Math.min(1, v.coverage) : 0,
      missing: !v.known,
    }));
}
