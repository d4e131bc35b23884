import { planSpace } from '../../domain/planning/plan-space.js';
import type { HvacLp } from '../../domain/planning/predictive/hvac-lp.js';
import type { PredictedShortfall } from '../../domain/planning/predictive/lp-solution.js';
import { hvacProgram, predictivePlan } from '../../domain/planning/predictive/plan.js';
import type { PlanInput, SpacePlan } from '../../domain/planning/types.js';
import type { Logger } from '../../ports/logger.js';
import type { LpSolver } from '../../ports/lp-solver.js';
import { Slicer } from '../shared/slicer.js';

/** A space planned this round, with the planner's input. */
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
  /** The program was refused: the rules plan the space this round (`planRound`), and why. */
  | { readonly planner: 'rules'; readonly why: string };

/**
 * One plan round of the predictive planner: a program per space that has one, solved together in
 * the worker under one time limit, each answer checked. A space whose program fails (any status
 * but optimal, a solution that breaks the model, no answer in time) is left to the rules in this
 * same round, logged with the reason. Spaces without a program are not in the result.
 */
export async function predictiveRound(
  spaces: readonly RoundSpace[],
  nowMs: number,
  deps: {
    readonly solver: LpSolver;
    readonly log: Logger;
    readonly timeLimitMs: number;
    /** The caller's slices, when the round is part of a longer run on the main thread. */
    readonly slice?: Slicer | undefined;
  },
): Promise<Map<string, RoundOutcome>> {
  const programs = new Map<string, { space: RoundSpace; lp: HvacLp }>();
  const slice = deps.slice ?? new Slicer();
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

/** A space's plan of the round, and which planner made its HVAC part. */
export type RoundPlan =
  | Extract<RoundOutcome, { readonly planner: 'predictive' }>
  | {
      readonly planner: 'rules';
      readonly plan: SpacePlan;
      /** Why the space's program was refused; absent where it has none (or the predictive planner is off). */
      readonly why?: string;
    };

/**
 * One plan round of every space: first the predictive round (when `predictive` is given), then the
 * rules' plan of only the spaces it leaves to them, in the same round: those without a program and
 * those whose program was refused. A space whose program is accepted never has the rules' HVAC plan
 * made (optimal start, pre-conditioning, early stop: searched on the thermal model, then thrown
 * away); its program needs only the rules' desired targets, and its lighting is planned with the
 * program's HVAC plan. A space whose planning throws is logged and left out: its devices stay on
 * their last plan.
 */
export async function planRound(
  spaces: readonly RoundSpace[],
  nowMs: number,
  deps: {
    readonly log: Logger;
    /** The predictive HVAC planner; without it the rules plan every space. */
    readonly predictive?: { readonly solver: LpSolver; readonly timeLimitMs: number } | undefined;
    readonly slice?: Slicer | undefined;
  },
): Promise<Map<string, RoundPlan>> {
  const slice = deps.slice ?? new Slicer();
  const outcomes = deps.predictive
    ? await predictiveOutcomes(spaces, nowMs, { ...deps.predictive, log: deps.log, slice })
    : new Map<string, RoundOutcome>();
  const out = new Map<string, RoundPlan>();
  for (const space of spaces) {
    const outcome = outcomes.get(space.key);
    if (outcome?.planner === 'predictive') {
      out.set(space.key, outcome);
      continue;
    }
    await slice.turn();
    try {
      const plan = planSpace(space.input, nowMs);
      out.set(space.key, outcome ? { planner: 'rules', plan, why: outcome.why } : { planner: 'rules', plan });
    } catch (error) {
      deps.log.error(
        { space: space.key, err: String(error) },
        'planning failed; devices stay on the last plan',
      );
    }
  }
  return out;
}

/**
 * The predictive round's outcomes; should it throw, every space is left to the rules, with the
 * error as the reason, so the round still plans every space.
 */
async function predictiveOutcomes(
  spaces: readonly RoundSpace[],
  nowMs: number,
  deps: Parameters<typeof predictiveRound>[2],
): Promise<Map<string, RoundOutcome>> {
  try {
    return await predictiveRound(spaces, nowMs, deps);
  } catch (error) {
    const why = `predictive round failed: ${String(error)}`;
    deps.log.error({ err: String(error) }, 'predictive round failed; the rules plan every space this round');
    return new Map(spaces.map((s) => [s.key, { planner: 'rules', why }]));
  }
}
