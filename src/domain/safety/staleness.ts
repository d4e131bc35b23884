import type { ControlConfig, StaleInputKind } from '../../config/schema/control.js';

/** When an input of a space (a meter or a sensor) was last heard from. */
export interface InputFreshness {
  readonly id: string;
  readonly kind: StaleInputKind;
  /** Last message, ms; absent when never heard (stale). */
  readonly lastSeenMs?: number;
  /** Per-input threshold (e.g. a sensor's `staleAfterMinutes`); the kind's default otherwise. */
  readonly staleAfterMinutes?: number;
}

/** Inputs silent for longer than their threshold; judged per kind (motion sensors report only on change). */
export function staleInputs(
  inputs: readonly InputFreshness[],
  control: ControlConfig,
  nowMs: number,
): InputFreshness[] {
  return inputs.filter((i) => {
    if (i.lastSeenMs === undefined) return true;
    const minutes = i.staleAfterMinutes ?? control.staleAfterMinutes[i.kind];
    return nowMs - i.lastSeenMs > minutes * 60_000;
  });
}
