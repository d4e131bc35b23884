import type { SavingsFigure, SavingsView } from '../ports/savings-view.js';

const DAY_MS = 86_400_000;

/**
 * The measured community figure the dashboard shows after the demo's replay (the latest month with
 * a figure and its interval), in words for the replay's last log line; undefined while there is none.
 */
export function latestMeasuredFigure(
  view: SavingsView,
  siteIds: readonly string[],
  nowMs: number,
): string | undefined {
  for (const siteId of siteIds) {
    const figures = view
      .savings({ fromMs: nowMs - 62 * DAY_MS, toMs: nowMs, granularity: 'month', siteId })
      .filter(
        (f) => f.kind === 'measured' && f.interval && f.spaceId === undefined && f.endUse === undefined,
      );
    const latest = figures.sort((a, b) => b.periodStartMs - a.periodStartMs)[0];
    if (latest) return `${siteId} ${describe(latest)}`;
  }
  return undefined;
}

function describe(f: SavingsFigure): string {
  const i = f.interval;
  const pct = Math.round(f.avoidedShare * 100);
  const range = i
    ? `, ${Math.round(i.confidence * 100)} % interval ${i.lowKWh.toFixed(1)} to ${i.highKWh.toFixed(1)} kWh`
    : '';
  return `${f.avoidedKWh.toFixed(1)} kWh (${pct} %) avoided by ${f.method}${range}${f.provisional ? ', provisional' : ''}`;
}
