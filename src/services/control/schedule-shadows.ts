import { DEFAULT_PREDICTIVE_TUNING } from '../../domain/planning/predictive/hvac-lp.js';
import {
  advanceScheduleShadow,
  type ScheduleShadow,
} from '../../domain/planning/predictive/schedule-shadow.js';
import type { PlanInput } from '../../domain/planning/types.js';

/**
 * Per space, the temperature the fixed schedule would have left it at, carried from plan to plan
 * (`advanceScheduleShadow`), and put into each plan input for the predictive planner's allowance.
 */
export class ScheduleShadows {
  private readonly bySpace = new Map<string, ScheduleShadow>();

  /** The input with the space's shadow in it; the shadow moves on to this plan. */
  apply(spaceKey: string, input: PlanInput): PlanInput {
    const hvac = input.hvac;
    const tempC = advanceScheduleShadow(
      this.bySpace.get(spaceKey),
      input,
      DEFAULT_PREDICTIVE_TUNING.capacityFactor,
    );
    if (!hvac || tempC === undefined) {
      this.bySpace.delete(spaceKey);
      return input;
    }
    this.bySpace.set(spaceKey, { tempC, input });
    return { ...input, hvac: { ...hvac, scheduleShadowTempC: tempC } };
  }
}
