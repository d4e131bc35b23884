import { localFieldsAt } from '../calendar/local-fields.js';
import type { SetpointValue } from '../setpoints/contract.js';

/**
 * "This space cannot hold its comfort band within its setpoint limits", measured: while the space is
 * occupied, its indoor temperature stays outside the band for a sustained time although its HVAC is
 * commanded at (or beyond) the setpoint limit on that side. Two reasons:
 *
 * - `limit`: the band itself lies beyond the limit (cooling limit above the band's upper edge, heating
 *   limit below its lower edge): even a unit that held its setpoint exactly would leave the band.
 * - `capacity`: the limit lies inside the band, yet the unit at the limit does not bring the room in.
 *
 * Pure: the caller feeds one sample per tick and raises or clears the alert on the events returned.
 */

/** The comfort band and the deepest setpoints allowed on each side (device limits included). */
export interface BandHoldLimits {
  readonly comfortLowC: number;
  readonly comfortHighC: number;
  /** Lowest cooling setpoint the space may get, °C (26 °C by default). */
  readonly coolLimitC: number;
  /** Highest heating setpoint the space may get, °C (20 °C by default). */
  readonly heatLimitC: number;
}

export interface BandHoldSample {
  readonly tsMs: number;
  /** Someone is there (occupancy sensor, or the forecast where the space has none). */
  readonly occupied: boolean;
  /** Fresh indoor reading, °C; undefined when there is none (the rule then waits). */
  readonly indoorTempC?: number | undefined;
  /** What the unit is commanded to now; undefined when unknown (a person's override). */
  readonly hvac?: SetpointValue | undefined;
}

export type BandSide = 'above' | 'below';
export type BandHoldReason = 'capacity' | 'limit';

export interface BandHoldFinding {
  readonly side: BandSide;
  readonly reason: BandHoldReason;
  /** When the space was first seen outside the band with the unit at the limit, ms. */
  readonly sinceMs: number;
  /** Indoor temperature when the alert was raised, °C. */
  readonly tempC: number;
}

export interface BandHoldState {
  /** Outside the band at the limit since then, not yet for long enough. */
  readonly pending?: { readonly side: BandSide; readonly sinceMs: number };
  /** The alert is open. */
  readonly open?: BandHoldFinding;
}

export type BandHoldEvent =
  | { readonly kind: 'none' }
  | { readonly kind: 'raise'; readonly finding: BandHoldFinding }
  | {
      readonly kind: 'clear';
      readonly finding: BandHoldFinding;
      readonly why: 'back-in-band' | 'unoccupied';
    };

export interface BandHoldOptions {
  /** How long the space must stay outside the band at the limit before the alert, minutes. */
  readonly sustainMinutes: number;
  /** A setpoint within this of the limit counts as at the limit, K (device resolution). */
  readonly toleranceC: number;
}

export const DEFAULT_BAND_HOLD: BandHoldOptions = { sustainMinutes: 30, toleranceC: 0.25 };

function sideOf(tempC: number, l: BandHoldLimits): BandSide | undefined {
  if (tempC > l.comfortHighC) return 'above';
  if (tempC < l.comfortLowC) return 'below';
  return undefined;
}

/** The unit works as hard as the limits allow toward the band on that side. */
export function atLimit(
  hvac: SetpointValue | undefined,
  side: BandSide,
  l: BandHoldLimits,
  toleranceC: number,
): boolean {
  if (hvac === undefined || hvac.kind !== 'hvac') return false;
  if (side === 'above') {
    const sp = hvac.mode === 'cool' ? hvac.setpointC : hvac.mode === 'auto' ? hvac.coolSetpointC : undefined;
    return sp !== undefined && sp <= l.coolLimitC + toleranceC;
  }
  const sp = hvac.mode === 'heat' ? hvac.setpointC : hvac.mode === 'auto' ? hvac.heatSetpointC : undefined;
  return sp !== undefined && sp >= l.heatLimitC - toleranceC;
}

export function reasonOf(side: BandSide, l: BandHoldLimits): BandHoldReason {
  const beyond = side === 'above' ? l.coolLimitC > l.comfortHighC : l.heatLimitC < l.comfortLowC;
  return beyond ? 'limit' : 'capacity';
}

/** One sample: the next state, and whether to raise or clear the alert now. */
export function stepBandHold(
  state: BandHoldState,
  sample: BandHoldSample,
  limits: BandHoldLimits,
  options: BandHoldOptions = DEFAULT_BAND_HOLD,
): { readonly state: BandHoldState; readonly event: BandHoldEvent } {
  const t = sample.indoorTempC;
  if (t === undefined || !Number.isFinite(t)) return { state, event: { kind: 'none' } };
  const side = sideOf(t, limits);
  const open = state.open;
  if (open) {
    if (side !== open.side)
      return { state: {}, event: { kind: 'clear', finding: open, why: 'back-in-band' } };
    if (!sample.occupied) return { state: {}, event: { kind: 'clear', finding: open, why: 'unoccupied' } };
    return { state, event: { kind: 'none' } };
  }
  if (side === undefined || !sample.occupied || !atLimit(sample.hvac, side, limits, options.toleranceC))
    return { state: {}, event: { kind: 'none' } };
  const pending = state.pending?.side === side ? state.pending : { side, sinceMs: sample.tsMs };
  if (sample.tsMs - pending.sinceMs < options.sustainMinutes * 60_000)
    return { state: { pending }, event: { kind: 'none' } };
  const finding: BandHoldFinding = {
    side,
    reason: reasonOf(side, limits),
    sinceMs: pending.sinceMs,
    tempC: t,
  };
  return { state: { open: finding }, event: { kind: 'raise', finding } };
}

export const fmtC = (c: number): string => `${Math.round(c * 10) / 10} °C`;

export function clockTime(ms: number, timeZone: string): string {
  const m = localFieldsAt(ms, timeZone).minuteOfDay;
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/** The alert's words: the space, since when (local time), the values and the reason. */
export function bandHoldMessage(
  space: string,
  f: BandHoldFinding,
  limits: BandHoldLimits,
  timeZone: string,
): string {
  const cool = f.side === 'above';
  const limitC = cool ? limits.coolLimitC : limits.heatLimitC;
  const head =
    `${space} has been ${f.side} its comfort band (${fmtC(limits.comfortLowC)}-${fmtC(limits.comfortHighC)}) ` +
    `while occupied since ${clockTime(f.sinceMs, timeZone)} (${fmtC(f.tempC)}), with ${cool ? 'cooling' : 'heating'} ` +
    `at its ${fmtC(limitC)} setpoint limit`;
  if (f.reason === 'limit')
    return (
      `${head}: the limit lies ${cool ? 'above' : 'below'} the band, so the band cannot be held within it ` +
      `(reason: limit; lower the limit or widen the band)`
    );
  return `${head}: the unit does not have the capacity to hold the band (reason: capacity)`;
}
