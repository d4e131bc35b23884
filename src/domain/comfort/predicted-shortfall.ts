import type { PredictedShortfall } from '../planning/predictive/lp-solution.js';
import { clockTime, fmtC } from './band-hold.js';

/** Excess below this is not worth an alert, K: inside the model's own error. */
export const PREDICTED_SHORTFALL_MIN_K = 0.2;

export interface ShortfallContext {
  readonly space: string;
  readonly mode: 'cool' | 'heat';
  /** The occupied limit the plan aims at (band edge less the margin), °C. */
  readonly limitC: number;
  /** Deepest setpoint allowed in the mode, °C. */
  readonly setpointLimitC: number;
  readonly startMs: number;
  readonly slotMs: number;
  readonly timeZone: string;
}

/**
 * Shortfalls worth an alert: the band lost at full capacity or at the limit. Discomfort the plan
 * chooses within the schedule's own (the allowance) is not a space that cannot be held.
 */
export function alertableShortfalls(shortfalls: readonly PredictedShortfall[]): PredictedShortfall[] {
  return shortfalls.filter((s) => s.reason !== 'allowance' && s.worstK >= PREDICTED_SHORTFALL_MIN_K);
}

/**
 * The predicted half of the band-hold alert: which space, which hours (local), by how much and
 * why, in words an operator can act on.
 */
export function predictedShortfallMessage(
  ctx: ShortfallContext,
  shortfalls: readonly PredictedShortfall[],
): string {
  const side = ctx.mode === 'cool' ? 'above' : 'below';
  const hours = shortfalls
    .map((s) => {
      const from = clockTime(ctx.startMs + s.fromSlot * ctx.slotMs, ctx.timeZone);
      const to = clockTime(ctx.startMs + (s.toSlot + 1) * ctx.slotMs, ctx.timeZone);
      return `${from}-${to} (up to ${fmtC(s.worstK).replace(' °C', ' K')}, ${s.reason})`;
    })
    .join(', ');
  const reasons = new Set(shortfalls.map((s) => s.reason));
  const why = [
    ...(reasons.has('capacity')
      ? ['at capacity: the unit at full output, pre-cooling or pre-heating included, cannot hold it']
      : []),
    ...(reasons.has('limit')
      ? [`at limit: the ${fmtC(ctx.setpointLimitC)} setpoint limit keeps the unit from holding it`]
      : []),
  ].join('; ');
  return `${ctx.space} is predicted ${side} ${fmtC(ctx.limitC)} while occupied at ${hours}: ${why} (predicted; the measured alert follows if it happens)`;
}
