import { daylightPct } from '../../domain/planning/lighting.js';
import type { SensorValueView } from '../../ports/control-inputs.js';
import type { KeyValueStore } from '../../ports/stores.js';
import type { ControlledSpace } from './catalogue.js';

/** A reading older than this is not relied on for the presence level (daylight falls fast at dusk). */
const PRESENCE_READING_MAX_AGE_MS = 5 * 60_000;
/** Share of the measured daylight relied on, and a margin in points: the reading is up to minutes old. */
const DAYLIGHT_TRUST = 0.8;
const DAYLIGHT_MARGIN_PCT = 5;

/** Settings key of a device's full-output illuminance measured at commissioning. */
export const fullOutputLuxKey = (deviceKey: string): string => `control.fullOutputLux.${deviceKey}`;

/**
 * Illuminance of the space's lights at 100 % at its illuminance sensor, lx: the sum over its
 * lighting devices of the configured `fullOutputLux`, else the commissioning measurement. Unknown
 * (no daylight use) without an illuminance sensor or when any light's contribution is unknown,
 * since an unknown light would be taken for daylight.
 */
export function spaceFullOutputLux(space: ControlledSpace, settings: KeyValueStore): number | undefined {
  if (!space.space.sensors.some((s) => s.kind === 'illuminance')) return undefined;
  const lights = space.devices.filter((d) => d.target.kind === 'lighting');
  if (lights.length === 0) return undefined;
  let sum = 0;
  for (const d of lights) {
    const lux = d.ctx.device.fullOutputLux ?? Number(settings.get(fullOutputLuxKey(d.key)));
    if (!Number.isFinite(lux) || lux <= 0) return undefined;
    sum += lux;
  }
  return sum;
}

/**
 * Daylight share of full output to rely on now for the presence level, %: a fresh reading less
 * what the lights give at their running level, discounted for its age.
 */
export function presenceDaylightPct(
  fullOutputLux: number | undefined,
  reading: SensorValueView | undefined,
  runningLevelPct: number | undefined,
  nowMs: number,
): number {
  if (fullOutputLux === undefined || !reading || reading.stale) return 0;
  if (nowMs - reading.tsMs > PRESENCE_READING_MAX_AGE_MS) return 0;
  const pct = daylightPct({ illuminanceLux: reading.value }, runningLevelPct, fullOutputLux);
  return Math.max(0, DAYLIGHT_TRUST * pct - DAYLIGHT_MARGIN_PCT);
}
