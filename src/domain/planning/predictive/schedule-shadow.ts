import { at } from '../grid.js';
import { seasonMode } from '../hvac-targets.js';
import { predict, type SlotCommand, slotExtraGainKPerH } from '../thermal.js';
import type { ConditioningMode, PlanInput } from '../types.js';
import { SLOT_MS } from '../types.js';

const SLOT_H = SLOT_MS / 3_600_000;
/**
 * Longest gap between two plans the shadow is carried across, slots. After a longer one (a
 * restart, the space switched off) the prediction is too old to trust and it starts again from
 * the measured temperature.
 */
const MAX_CARRY_SLOTS = 8;

/** The fixed schedule's commands for the first `slots` slots of a plan input, in the given mode. */
export function scheduleCommands(input: PlanInput, mode: ConditioningMode, slots: number): SlotCommand[] {
  const schedule = input.hvac?.schedule ?? [];
  return Array.from({ length: slots }, (_, k) => {
    const sched = schedule[Math.min(k, schedule.length - 1)];
    return sched?.mode === mode && sched.setpointC !== undefined
      ? { mode, setpointC: sched.setpointC }
      : { mode: 'off' as const };
  });
}

/** Where the shadow stood at a plan, with that plan's input (its schedule, weather and rates). */
export interface ScheduleShadow {
  readonly tempC: number;
  readonly input: PlanInput;
}

/**
 * The temperature the space would have now had the fixed schedule run it, predicted with the
 * learned model from the previous plan's shadow over the slots since. The predictive planner's
 * comfort allowance is a share of the schedule's own discomfort; predicted from the measured
 * temperature instead, every degree the plan pre-heated would shrink the next plan's allowance,
 * and each plan would ask more than the schedule ever gave. Starts from the measured temperature
 * when there is no usable previous shadow.
 */
export function advanceScheduleShadow(
  previous: ScheduleShadow | undefined,
  input: PlanInput,
  capacityFactor: number,
): number | undefined {
  const measuredC = input.sensors.indoorTempC;
  const hvac = input.hvac;
  if (!hvac || measuredC === undefined || !Number.isFinite(measuredC)) return undefined;
  const mode = seasonMode(hvac);
  const before = previous?.input;
  if (!previous || !before?.hvac || mode === null || seasonMode(before.hvac) !== mode) return measuredC;
  const slots = Math.round((input.startMs - before.startMs) / SLOT_MS);
  if (slots <= 0) return previous.tempC;
  if (slots > MAX_CARRY_SLOTS || !Number.isFinite(previous.tempC)) return measuredC;
  const pred = predict(
    previous.tempC,
    scheduleCommands(before, mode, slots),
    (k) => at(before.outdoorTempC, k, previous.tempC),
    hvac.rates,
    SLOT_H,
    capacityFactor,
    (k) => slotExtraGainKPerH(before, hvac.rates, k),
  );
  const t = pred.tempC[slots - 1];
  return t !== undefined && Number.isFinite(t) ? t : measuredC;
}
