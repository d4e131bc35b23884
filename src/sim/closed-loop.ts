import type { SimulatedControllers, StateReportOut } from './controllers/simulated-controllers.js';
import type { CommunityModel } from './model/community.js';
import type { SimOutput } from './model/outputs.js';
import type { CommunityState } from './model/state.js';
import { advance } from './model/step.js';

export interface TimedReport extends StateReportOut {
  readonly tMs: number;
}

export interface ClosedLoopResult {
  readonly state: CommunityState;
  readonly outputs: SimOutput[];
  readonly reports: TimedReport[];
}

/** Called after each step with the state before it (leases in force) and after it. */
export type StepObserver = (before: CommunityState, after: CommunityState) => void;

/**
 * Advances the community one step at a time with the controllers in the loop: before each step the
 * controllers (and any resident overrides) decide each device's command, the step runs under those
 * commands, and the controllers' state reports are collected. The same boundary rule as `advance`:
 * it stops at the last whole step at or before `toMs`.
 */
export function advanceClosedLoop(
  model: CommunityModel,
  state: CommunityState,
  controllers: SimulatedControllers,
  toMs: number,
  emit = true,
  observe?: StepObserver,
): ClosedLoopResult {
  const outputs: SimOutput[] = [];
  const reports: TimedReport[] = [];
  const target = Math.floor(toMs / model.stepMs) * model.stepMs;
  let s = state;
  while (s.tMs < target) {
    const next = Math.min(target, (Math.floor(s.tMs / model.stepMs) + 1) * model.stepMs);
    const before = controllers.prepareStep(s);
    if (emit) for (const r of controllers.reports(before.tMs)) reports.push({ ...r, tMs: before.tMs });
    const r = advance(model, before, next, emit);
    observe?.(before, r.state);
    for (const o of r.outputs) outputs.push(o);
    s = r.state;
  }
  return { state: s, outputs, reports };
}
