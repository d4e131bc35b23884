import type { Rejection } from './reasons.js';

/** A meter reading after decoding, unit multiplier applied. */
export interface DecodedReading {
  readonly tsMs: number;
  /** Whether the time came from the payload or, lacking one there, from the receive time. */
  readonly tsSource: 'payload' | 'received';
  /** Cumulative register, kWh. */
  readonly energyKWh?: number;
  /** Instantaneous power, W. */
  readonly powerW?: number;
}

export type DecodeResult = { readonly ok: true; readonly reading: DecodedReading } | Rejection;

/** What a decoder needs besides the payload and the meter; all time comes in as arguments. */
export interface DecodeContext {
  /** When the message was received (used when the payload carries no timestamp). */
  readonly receivedAtMs: number;
  /** "Now" on the injected clock, for the future/stale checks. */
  readonly nowMs: number;
  /** Time zone for timestamps without an offset: the meter's, else the site's. */
  readonly timezone: string;
  readonly maxPayloadBytes: number;
  /** Readings further ahead of now than this are rejected as future-timestamp. */
  readonly futureToleranceMs: number;
  /** Readings older than now minus this are rejected as stale-timestamp. */
  readonly maxAgeMs: number;
}

/** What a format preset extracts, before the multiplier and the plausibility checks. */
export interface RawReading {
  /** Undefined when the payload has no timestamp: the receive time is used. */
  readonly tsMs?: number;
  readonly energyKWh?: number;
  readonly powerW?: number;
}

export type ExtractResult = { readonly ok: true; readonly raw: RawReading } | Rejection;

/**
 * A raw reading with only the fields present. Built by assignment, not by spreading conditional
 * literals: this runs for every message, and each spread allocated a temporary object.
 */
export function rawReading(
  tsMs: number | undefined,
  energyKWh: number | undefined,
  powerW: number | undefined,
): RawReading {
  const raw: { -readonly [K in keyof RawReading]: RawReading[K] } = {};
  if (tsMs !== undefined) raw.tsMs = tsMs;
  if (energyKWh !== undefined) raw.energyKWh = energyKWh;
  if (powerW !== undefined) raw.powerW = powerW;
  return raw;
}
