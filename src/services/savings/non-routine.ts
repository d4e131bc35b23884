/**
 * Non-routine flags per series: a level shift in the weekly savings share of the reporting period
 * (src/domain/savings/level-shift.ts, with the thresholds of the baseline method) means something
 * other than control changed the load, so a figure covering it is not to be trusted as it stands.
 */
import { z } from 'zod';
import { DEFAULT_NON_ROUTINE, isShiftNonRoutine } from '../../domain/savings/baseline-fit.js';
import { largestLevelShift } from '../../domain/savings/level-shift.js';
import type { KeyValueStore } from '../../ports/stores.js';

export const nonRoutineKey = (seriesKey: string): string => `savings.nonRoutine.${seriesKey}`;

export interface NonRoutineFlag {
  readonly fromMs: number;
  readonly toMs?: number;
  readonly message: string;
}

const Flags = z.array(z.object({ fromMs: z.number(), toMs: z.number().optional(), message: z.string() }));

export function readNonRoutine(settings: KeyValueStore, seriesKey: string): NonRoutineFlag[] {
  const text = settings.get(nonRoutineKey(seriesKey));
  if (text === undefined) return [];
  try {
    const r = Flags.safeParse(JSON.parse(text));
    return r.success
      ? r.data.map((f) => ({
          fromMs: f.fromMs,
          ...(f.toMs !== undefined ? { toMs: f.toMs } : {}),
          message: f.message,
        }))
      : [];
  } catch {
    return [];
  }
}

export function writeNonRoutine(
  settings: KeyValueStore,
  seriesKey: string,
  flags: readonly NonRoutineFlag[],
): void {
  settings.set(nonRoutineKey(seriesKey), JSON.stringify(flags));
}

/** Minimum weeks on each side of a step, as in the baseline method's reporting check. */
const MIN_WEEKS = 4;

/**
 * The flag for a series from its weekly sums (oldest first): the largest step in the weekly share
 * (baseline - measured) / baseline, when it is large and clear. Savings that start with control
 * shift the share once, at the start of reporting, which is not inside these weeks.
 */
export function weeklyShift(
  weeks: readonly { readonly fromMs: number; readonly baselineKWh: number; readonly avoidedKWh: number }[],
): NonRoutineFlag | undefined {
  const usable = weeks.filter((w) => w.baselineKWh > 0);
  const shift = largestLevelShift(
    usable.map((w) => w.avoidedKWh / w.baselineKWh),
    MIN_WEEKS,
  );
  if (!shift || !isShiftNonRoutine(shift, DEFAULT_NON_ROUTINE)) return undefined;
  const at = usable[shift.splitIndex];
  if (!at) return undefined;
  return {
    fromMs: at.fromMs,
    message: `the load ${shift.step > 0 ? 'fell' : 'rose'} by about ${Math.abs(shift.step * 100).toFixed(0)} % of the baseline (t = ${shift.t.toFixed(1)}) from the week of ${new Date(at.fromMs).toISOString().slice(0, 10)}: not explained by control`,
  };
}
