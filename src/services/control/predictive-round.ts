import { planSpace } from '../../domain/planning/plan-space.js';
import type { HvacLp } from '../../domain/planning/predictive/hvac-lp.js';
import type { PredictedShortfall } from '../../domain/planning/predictive/lp-solution.js';
import { hvacProgram, predictivePlan } from '../../domain/planning/predictive/plan.js';
import type { PlanInput, SpacePlan } from '../../domain/planning/types.js';
import type { Logger } from '../../ports/logger.js';
import type { LpSolver } from '../../ports/lp-solver.js';
import { Slicer } from '../shared/slicer.js';

/** A space whose rules plan this round made, with the input it was made from. */
export interface RoundSpace {
  readonly key: string;
  readonly input: PlanInput;
}

export type RoundOutcome =
  | {
      readonly planner: 'predictive';
      readonly plan: SpacePlan;
      readonly shortfalls: readonly PredictedShortfall[];
      readonly solveMs: number;
    }
  /** The rules' plan stands, and why. */
  | { readonly planner: 'rules'; readonly why: string };

/**
 * One plan round of the predictive planner: a program per space that has one, solved together in
 * the worker under one time limit, each answer checked. A space whose program fails (any status
 * but optimal, a solution that breaks the model, no answer in time) keeps the rules' plan of this
 * same round, logged with the reason. Spaces without a program are not in the result.
 */
export async function predictiveRound(
  spaces: readonly RoundSpace[],
  nowMs: number,
  deps: { readonly solver: LpSolver; readonly log: Logger; readonly timeLimitMs: number },
): Promise<Map<string, RoundOutcome>> {
  const programs = new Map<string, { space: RoundSpace; lp: HvacLp }>();
  const slice = new Slicer();
  for (const space of spaces) {
    await slice.turn();
    const lp = hvacProgram(space.input);
    if (lp) programs.set(space.key, { space, lp });
  }
  const out = new Map<string, RoundOutcome>();
  if (programs.size === 0) return out;
  const answers = await deps.solver.solve(
    [...programs.entries()].map(([id, p]) => ({ id, lpText: p.lp.lpText })),
    { timeLimitMs: deps.timeLimitMs },
  );
  const byId = new Map(answers.map((a) => [a.id, a]));
  for (const [key, { space, lp }] of programs) {
    await slice.turn();
    const answer = byId.get(key);
    const result = answer
      ? predictivePlan(space.input, lp, answer)
      : ({ ok: false, why: 'no answer from the solver' } as const);
    if (result.ok) {
      out.set(key, {
        planner: 'predictive',
        plan: planSpace(space.input, nowMs, result.hvac),
        shortfalls: result.shortfalls,
        solveMs: answer?.solveMs ?? 0,
      });
    } else {
      deps.log.warn(
        { space: key, why: result.why },
        'predictive HVAC plan refused; the rules plan this round',
      );
      out.set(key, { planner: 'rules', why: result.why });
    }
  }
  return out;
}
