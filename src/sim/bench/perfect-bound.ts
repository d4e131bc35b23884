import { lpText } from '../../domain/planning/predictive/lp-text.js';
import type { LpSolver } from '../../ports/lp-solver.js';
import type { SpaceBoundInputs } from './bound-recorder.js';
import { boundEnergyKWh, hvacBoundModel } from './hvac-bound.js';

/** A space's perfect-knowledge bound at one discomfort allowance. */
export interface SpaceBound {
  readonly spaceKey: string;
  readonly lightingKWh: number;
  /** The lighting bound with the lights held for the presence hold after people leave, kWh. */
  readonly heldLightingKWh: number;
  /** Least HVAC energy for the allowance, kWh (undefined without units, or when no optimum came). */
  readonly hvacKWh: number | undefined;
  /** The allowance the HVAC bound was held to, K·h. */
  readonly discomfortKh: number | undefined;
  /** The solver's status for the HVAC program ("Optimal" when the bound holds). */
  readonly status: string | undefined;
}

/** How long the solver may take for one scenario's programs (a week in 5-minute blocks each). */
const TIME_LIMIT_MS = 120_000;

/**
 * Solves every conditioned space's HVAC bound with the occupied discomfort it is allowed (by space
 * key): the schedule's own, or QuietWatt's. A space left out of `allowanceKh` gets the lighting bound
 * alone.
 */
export async function solveBounds(
  inputs: readonly SpaceBoundInputs[],
  allowanceKh: ReadonlyMap<string, number>,
  solver: LpSolver,
): Promise<SpaceBound[]> {
  const programs = inputs.flatMap((s) => {
    const discomfortKh = allowanceKh.get(s.spaceKey);
    return s.hvac && discomfortKh !== undefined ? [{ s, input: { ...s.hvac, discomfortKh } }] : [];
  });
  const answers = await solver.solve(
    programs.map((p) => ({ id: p.s.spaceKey, lpText: lpText(hvacBoundModel(p.input)), presolve: true })),
    { timeLimitMs: TIME_LIMIT_MS },
  );
  return inputs.map((s) => {
    const program = programs.find((p) => p.s.spaceKey === s.spaceKey);
    const answer = answers.find((a) => a.id === s.spaceKey);
    const optimal = program !== undefined && answer?.status === 'Optimal';
    return {
      spaceKey: s.spaceKey,
      lightingKWh: s.lightingBoundKWh,
      heldLightingKWh: s.heldLightingBoundKWh,
      hvacKWh: optimal ? boundEnergyKWh(program.input, answer.columns) : undefined,
      discomfortKh: program?.input.discomfortKh,
      status: program ? (answer?.status ?? 'no answer') : undefined,
    };
  });
}
