import type { KeyValueStore } from '../../ports/stores.js';
import type { ControlledSpace } from './catalogue.js';

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
