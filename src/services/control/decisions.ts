import type { ControlConfig } from '../../config/schema/control.js';
import { lightLevelNowPct } from '../../domain/control/light-level.js';
import type { DeviceWant } from '../../domain/control/next-value.js';
import { occupancyRaises, type Presence } from '../../domain/control/presence.js';
import { spaceTypeControlOf } from '../../domain/control/space-type-rules.js';
import type { SpaceType } from '../../domain/energy.js';
import type { DeviceRuntime } from './dispatcher.js';

export {
  extendPresence,
  OCCUPIED_SILENCE_MAX_MS,
  occupiedReading,
  type Presence,
} from '../../domain/control/presence.js';

export type RaiseWant = Extract<DeviceWant, { kind: 'raise' }>;

/**
 * An occupancy message for a space's lights: the new presence hold, and the lights to raise now
 * (presence cannot wait for a plan; without a plan yet nothing is raised).
 */
export function occupancyDecisions(
  lights: readonly DeviceRuntime[],
  spaceType: SpaceType,
  planId: string | undefined,
  presence: Presence | undefined,
  event: { readonly occupied: boolean; readonly tsMs: number },
  nowMs: number,
  control: ControlConfig,
  /** Daylight share of full output to rely on now, % (see `presenceDaylightPct`). */
  daylightPct = 0,
): { presence: Presence | undefined; raises: [DeviceRuntime, RaiseWant][] } {
  const current = lights.map((rt) => lightLevelNowPct(rt.record, rt.device.ctx, rt.device.target, nowMs));
  const levels = spaceTypeControlOf(control, spaceType);
  const r = occupancyRaises(current, levels, presence, event, nowMs, daylightPct);
  const raises: [DeviceRuntime, RaiseWant][] = [];
  for (const { index, levelPct, reason } of r.raises) {
    const rt = lights[index];
    if (rt && planId !== undefined) raises.push([rt, { kind: 'raise', planId, levelPct, reason }]);
  }
  return { presence: r.presence, raises };
}
