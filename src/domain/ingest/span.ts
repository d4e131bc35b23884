import { type Rejection, reject } from './reasons.js';

const MS_PER_HOUR = 3_600_000;
/** A drop from within this fraction below `rolloverKWh` is a wrap, not a reset. */
export const ROLLOVER_BAND = 0.1;

/** How a register value changed across a span, besides rising. */
export type SpanEvent = 'reset' | 'rollover' | 'replaced';

/** Energy between two neighbouring readings of one meter. */
export interface SpanInfo {
  readonly energyKWh: number;
  /** Longer than maxGapMinutes: its intervals are marked missing and its energy is an unapportioned lump. */
  readonly gap: boolean;
  readonly event?: SpanEvent;
}

export interface Span extends SpanInfo {
  readonly startMs: number;
  readonly endMs: number;
}

export interface SeriesRules {
  readonly kind: 'cumulative' | 'power';
  readonly maxGapMs: number;
  readonly maxPowerW: number;
  readonly rolloverKWh?: number;
  /** Readings held per meter for re-splitting spans when late readings arrive. */
  readonly windowSize: number;
}

export interface Point {
  readonly tsMs: number;
  /** Register value, kWh (cumulative meters) or power, W (power meters). */
  readonly value: number;
}

function registerRise(a: number, b: number, rolloverKWh: number | undefined): SpanInfo {
  if (b >= a) return { energyKWh: b - a, gap: false };
  if (rolloverKWh !== undefined && a >= rolloverKWh * (1 - ROLLOVER_BAND)) {
    return { energyKWh: Math.max(0, rolloverKWh - a) + b, gap: false, event: 'rollover' };
  }
  // Older Shelly firmware on reboot, a replaced meter: the register restarted from zero.
  return { energyKWh: b, gap: false, event: 'reset' };
}

/**
 * The span from `a` to `b` (a.tsMs < b.tsMs). A function of the pair and the rules only, so the
 * spans of a meter depend on which readings arrived, never on the order they arrived in.
 */
export function computeSpan(a: Point, b: Point, rules: SeriesRules): SpanInfo | Rejection {
  const dtMs = b.tsMs - a.tsMs;
  const longGap = dtMs > rules.maxGapMs;
  if (rules.kind === 'power') {
    // Trapezoid: power is taken to change linearly between readings. Unknown across a gap.
    const energyKWh = longGap ? 0 : (((a.value + b.value) / 2) * (dtMs / MS_PER_HOUR)) / 1000;
    return { energyKWh, gap: longGap };
  }
  const rise = registerRise(a.value, b.value, rules.rolloverKWh);
  const impliedW = (rise.energyKWh * 1000) / (dtMs / MS_PER_HOUR);
  if (impliedW > rules.maxPowerW) {
    if (rise.event === 'reset') {
      // The new register does not start near zero (a replaced meter): the span's energy is unknown.
      return { energyKWh: 0, gap: true, event: 'replaced' };
    }
    return reject(
      'absurd-jump',
      `register rise of ${rise.energyKWh.toFixed(3)} kWh in ${(dtMs / 60_000).toFixed(1)} min implies ${Math.round(impliedW)} W, over maxPowerW ${rules.maxPowerW}`,
    );
  }
  return { ...rise, gap: longGap };
}
