import type { SensorKind } from './types.js';

/**
 * Minutes of silence after which a sensor counts as stale, per kind. Motion sensors report only on
 * change, so a quiet night is no sign of a dead sensor: their default is long, and any message from
 * the device (a battery report, an unchanged state) counts as a heartbeat.
 */
export const DEFAULT_SENSOR_STALE_MINUTES: Readonly<Record<SensorKind, number>> = {
  occupancy: 24 * 60,
  'indoor-temperature': 30,
  'outdoor-temperature': 30,
  illuminance: 30,
};

/** The threshold for one sensor: its own setting, else the configured kind default, else ours. */
export function staleAfterMinutes(
  kind: SensorKind,
  own: number | undefined,
  kindDefaults: Partial<Record<SensorKind, number>> = {},
): number {
  return own ?? kindDefaults[kind] ?? DEFAULT_SENSOR_STALE_MINUTES[kind];
}

/** Stale when never heard, or silent for longer than the threshold. */
export function isSilentFor(
  lastHeardMs: number | undefined,
  thresholdMinutes: number,
  nowMs: number,
): boolean {
  return lastHeardMs === undefined || nowMs - lastHeardMs > thresholdMinutes * 60_000;
}
