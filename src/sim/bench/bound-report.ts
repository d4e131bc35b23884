import type { SpaceMetrics } from './metrics.js';
import type { SpaceBound } from './perfect-bound.js';
import { TARGET_SAVING_PCT } from './scenario-report.js';

/** QuietWatt's run beside the bound: its metrics and the bound at its own discomfort. */
export interface BoundComparison {
  readonly spaces: readonly SpaceMetrics[];
  readonly bounds: readonly SpaceBound[];
}

/** The line that introduces a bound table. */
export const BOUND_HEADING =
  "Perfect-knowledge bound: the least lighting + HVAC energy a controller that knew the weather, the people and the room exactly could have used, with the lights at what occupancy and daylight need and each conditioned space at no more discomfort than the schedule's (src/sim/bench/hvac-bound.ts says why it is a lower bound):";

const controllableKWh = (m: SpaceMetrics) => m.lightingKWh + m.hvacKWh - m.lifeSafetyKWh;
const f1 = (x: number) => x.toFixed(1);
const savedPct = (fixed: number, other: number) => (fixed > 0 ? (100 * (fixed - other)) / fixed : 0);

/** A bound's controllable energy (lighting + HVAC), kWh; undefined when its HVAC program failed. */
function boundKWh(b: SpaceBound): number | undefined {
  if (b.status === undefined) return b.lightingKWh;
  return b.hvacKWh === undefined ? undefined : b.lightingKWh + b.hvacKWh;
}

const cell = (x: number | undefined) => (x === undefined ? '—' : f1(x));

/**
 * The perfect-knowledge bound beside the schedule (and QuietWatt, when given): per space, the least
 * controllable energy a controller that knew the weather, the people and the room exactly could
 * have used at the schedule's discomfort, how much that saves, and what QuietWatt saved.
 */
export function formatBoundTable(
  fixed: readonly SpaceMetrics[],
  atSchedule: readonly SpaceBound[],
  quietwatt?: BoundComparison,
): string[] {
  const head = quietwatt
    ? "| space | fixed kWh | bound kWh | most that could be saved | QuietWatt saved | HVAC kWh: fixed → bound | HVAC kWh for QuietWatt's discomfort: QuietWatt → bound |"
    : '| space | fixed kWh | bound kWh | most that could be saved | HVAC kWh: fixed → bound |';
  const sep = quietwatt ? '|---|--:|--:|--:|--:|--:|--:|' : '|---|--:|--:|--:|--:|';
  const lines = [head, sep];
  let fixedSum = 0;
  let boundSum: number | undefined = 0;
  let qwSum = 0;
  for (const f of fixed) {
    const b = atSchedule.find((x) => x.spaceKey === f.spaceKey);
    if (!b) continue;
    const fixedKWh = controllableKWh(f);
    const bound = boundKWh(b);
    const q = quietwatt?.spaces.find((m) => m.spaceKey === f.spaceKey);
    const qb = quietwatt?.bounds.find((x) => x.spaceKey === f.spaceKey);
    fixedSum += fixedKWh;
    boundSum = bound === undefined || boundSum === undefined ? undefined : boundSum + bound;
    qwSum += q ? controllableKWh(q) : 0;
    const hvac = f.conditioned ? `${f1(f.hvacKWh)} → ${cell(b.hvacKWh)}` : '—';
    const label = f.spaceKey.split('/').pop() ?? f.spaceKey;
    const most = bound === undefined ? '—' : `${f1(savedPct(fixedKWh, bound))} %`;
    if (!quietwatt) {
      lines.push(`| ${label} | ${f1(fixedKWh)} | ${cell(bound)} | ${most} | ${hvac} |`);
      continue;
    }
    const qwHvac = f.conditioned && q ? `${f1(q.hvacKWh)} → ${cell(qb?.hvacKWh)}` : '—';
    const qwSaved = q ? `${f1(savedPct(fixedKWh, controllableKWh(q)))} %` : '—';
    lines.push(
      `| ${label} | ${f1(fixedKWh)} | ${cell(bound)} | ${most} | ${qwSaved} | ${hvac} | ${qwHvac} |`,
    );
  }
  const mostTotal = boundSum === undefined ? undefined : savedPct(fixedSum, boundSum);
  const totalMost = mostTotal === undefined ? '—' : `${f1(mostTotal)} %`;
  lines.push(
    quietwatt
      ? `| total, controllable | ${f1(fixedSum)} | ${cell(boundSum)} | ${totalMost} | ${f1(savedPct(fixedSum, qwSum))} % | — | — |`
      : `| total, controllable | ${f1(fixedSum)} | ${cell(boundSum)} | ${totalMost} | — |`,
  );
  const failedOf = (bounds: readonly SpaceBound[]) =>
    bounds
      .filter((b) => b.status !== undefined && b.status !== 'Optimal')
      .map((b) => `${b.spaceKey} (${b.status})`)
      .join(', ');
  const failed = failedOf(atSchedule);
  const failedAtQuietWatt = quietwatt ? failedOf(quietwatt.bounds) : '';
  lines.push('');
  if (failed) lines.push(`No bound for ${failed}.`);
  // A program with no optimum (a solver error, a time limit) shows as "—": say which and why.
  if (failedAtQuietWatt) lines.push(`No bound at QuietWatt's discomfort for ${failedAtQuietWatt}.`);
  const hvacBound = atSchedule.reduce((sum, b) => sum + (b.hvacKWh ?? 0), 0);
  const heldLighting = atSchedule.reduce((sum, b) => sum + b.heldLightingKWh, 0);
  if (mostTotal !== undefined) {
    const qwSaved = savedPct(fixedSum, qwSum);
    lines.push(
      `At the schedule's own discomfort in every conditioned space, no controller could have saved more than ${f1(mostTotal)} % (the target is ${TARGET_SAVING_PCT} %)${
        quietwatt && mostTotal > 0
          ? `; QuietWatt saved ${f1(qwSaved)} %, ${f1((100 * qwSaved) / mostTotal)} % of that`
          : ''
      }.`,
    );
    // The same bound with lights a motion sensor can run: held after people leave, dimmed at the rate.
    const heldMost = savedPct(fixedSum, heldLighting + hvacBound);
    const qwLighting = quietwatt?.spaces.reduce(
      (sum, m) => sum + controllableKWh(m) - (m.conditioned ? m.hvacKWh : 0),
      0,
    );
    lines.push(
      `With the lights run as a motion sensor allows (kept up for the sensor's hold and the space type's presence hold after the last person leaves, dimmed no faster than the configured rate), lighting needs at least ${f1(heldLighting)} kWh${
        qwLighting === undefined ? '' : ` (QuietWatt's: ${f1(qwLighting)} kWh)`
      }, and at most ${f1(heldMost)} % could be saved.`,
    );
  }
  return lines;
}
