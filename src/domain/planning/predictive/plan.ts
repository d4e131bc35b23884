import { type HvacPlanResult, hvacPlanOfTargets } from '../hvac.js';
import { desiredTargets, seasonMode, setpointRange } from '../hvac-targets.js';
import { type PlanInput, SLOT_MS } from '../types.js';
import {
  buildHvacLp,
  DEFAULT_PREDICTIVE_TUNING,
  type HvacLp,
  type PredictiveTuning,
  predictable,
} from './hvac-lp.js';
import {
  checkLpAnswer,
  type LpAnswer,
  lpTargets,
  type PredictedShortfall,
  predictedShortfalls,
} from './lp-solution.js';

/**
 * The predictive program of a space, or undefined where the rules plan it: no HVAC, no single
 * season mode, or no indoor temperature to start the prediction from.
 */
export function hvacProgram(
  input: PlanInput,
  tuning: PredictiveTuning = DEFAULT_PREDICTIVE_TUNING,
): HvacLp | undefined {
  if (!predictable(input) || !input.hvac) return undefined;
  const mode = seasonMode(input.hvac);
  if (mode === null) return undefined;
  return buildHvacLp(input, desiredTargets(input, input.hvac, mode), tuning);
}

export type PredictivePlan =
  | {
      readonly ok: true;
      readonly hvac: HvacPlanResult;
      /** Occupied hours the plan cannot hold inside the band, and why. */
      readonly shortfalls: readonly PredictedShortfall[];
    }
  | { readonly ok: false; readonly why: string };

/** The space's HVAC plan from the solver's answer, or why the answer was refused (the rules then plan). */
export function predictivePlan(input: PlanInput, lp: HvacLp, answer: LpAnswer): PredictivePlan {
  const hvac = input.hvac;
  if (!hvac) return { ok: false, why: 'no HVAC' };
  const checked = checkLpAnswer(lp, answer);
  if (!checked.ok) return checked;
  const stepC = Math.max(...hvac.devices.map((d) => d.setpointStepC ?? 0.5), 0.1);
  const targets = lpTargets(
    lp,
    checked.trajectory,
    { ...setpointRange(hvac.comfort, lp.mode), stepC },
    Math.floor(input.startMs / SLOT_MS),
  );
  const result = hvacPlanOfTargets(input, targets);
  if (!result) return { ok: false, why: 'no season mode' };
  return { ok: true, hvac: result, shortfalls: predictedShortfalls(lp, checked.trajectory) };
}
