import type { DecodedReading } from './reading.js';
import type { ReadingWindow } from './reading-window.js';
import type { Rejection } from './reasons.js';
import { insertReading, type SeriesState } from './series.js';
import type { SeriesRules, Span } from './span.js';

export type StepResult =
  | { readonly kind: 'duplicate' }
  | { readonly kind: 'rejected'; readonly rejection: Rejection }
  /** Valid, but without the quantity this meter is differenced on (e.g. a power-only Shelly notify). */
  | { readonly kind: 'no-value' }
  | {
      readonly kind: 'accepted';
      readonly state: SeriesState;
      readonly removed: readonly Span[];
      readonly added: readonly Span[];
      /** Arrived before a reading already held (out of order). */
      readonly late: boolean;
      /** Net change in counter resets (meter replacements included) and rollovers. */
      readonly resets: number;
      readonly rollovers: number;
      /** Net change in energy across gaps, booked to no interval. */
      readonly unapportionedKWh: number;
    };

function tally(spans: readonly Span[]): { resets: number; rollovers: number; lumpKWh: number } {
  let resets = 0;
  let rollovers = 0;
  let lumpKWh = 0;
  for (const s of spans) {
    if (s.event === 'reset' || s.event === 'replaced') resets += 1;
    if (s.event === 'rollover') rollovers += 1;
    if (s.gap) lumpKWh += s.energyKWh;
  }
  return { resets, rollovers, lumpKWh };
}

type Accepted = Extract<StepResult, { readonly kind: 'accepted' }>;
/** A step through a ReadingWindow, which changes in place: the same result without the new state. */
export type WindowStepResult = Exclude<StepResult, Accepted> | Omit<Accepted, 'state'>;

function accepted(
  kind: 'first' | 'appended' | 'inserted' | 'prepended',
  removed: readonly Span[],
  added: readonly Span[],
): Omit<Accepted, 'state'> {
  const plus = tally(added);
  const minus = tally(removed);
  return {
    kind: 'accepted',
    removed,
    added,
    late: kind === 'inserted' || kind === 'prepended',
    resets: plus.resets - minus.resets,
    rollovers: plus.rollovers - minus.rollovers,
    unapportionedKWh: plus.lumpKWh - minus.lumpKWh,
  };
}

function registerValue(reading: DecodedReading, rules: SeriesRules): number | undefined {
  return rules.kind === 'cumulative' ? reading.energyKWh : reading.powerW;
}

/** One decoded reading through a meter's register series (the JSON form; the service uses stepWindow). */
export function stepMeter(state: SeriesState, reading: DecodedReading, rules: SeriesRules): StepResult {
  const value = registerValue(reading, rules);
  if (value === undefined) return { kind: 'no-value' };
  const result = insertReading(state, { tsMs: reading.tsMs, value }, rules);
  if (result.kind === 'duplicate') return result;
  if (result.kind === 'rejected') return result;
  return { ...accepted(result.kind, result.removed, result.added), state: result.state };
}

/** One decoded reading through a meter's compact reading window, which it changes when accepted. */
export function stepWindow(
  window: ReadingWindow,
  reading: DecodedReading,
  rules: SeriesRules,
): WindowStepResult {
  const value = registerValue(reading, rules);
  if (value === undefined) return { kind: 'no-value' };
  const result = window.insert({ tsMs: reading.tsMs, value }, rules);
  if (result.kind === 'duplicate') return result;
  if (result.kind === 'rejected') return result;
  return accepted(result.kind, result.removed, result.added);
}
