import type { ControlConfig } from '../../config/schema/control.js';
import type { BandHoldLimits, BandHoldSample } from '../../domain/comfort/band-hold.js';
import { spaceTypeControlOf } from '../../domain/control/space-type-rules.js';
import type { SpacePlan } from '../../domain/planning/types.js';
import { hvacRanges } from '../../domain/safety/bounds.js';
import type { SetpointValue } from '../../domain/setpoints/contract.js';
import type { SensorView } from '../../ports/control-inputs.js';
import type { ControlledSpace } from './catalogue.js';
import { occupiedReading } from './decisions.js';
import type { DeviceRuntime } from './dispatcher.js';

/**
 * What the band-hold rule sees of a space now: occupancy from its sensor (a change-only sensor that
 * still says occupied counts), or, in a space without one, the plan's current HVAC slot being
 * occupied (the forecast); the fresh indoor reading; the HVAC value in force; the comfort band of the
 * space type and the deepest setpoints the first unit may get (its own limits included).
 */
export function bandHoldInputs(a: {
  readonly space: ControlledSpace;
  readonly hvac: DeviceRuntime;
  readonly control: ControlConfig;
  readonly sensors: SensorView | undefined;
  readonly plan: SpacePlan | undefined;
  readonly hvacInForce: SetpointValue | undefined;
  readonly nowMs: number;
}): { sample: BandHoldSample; limits: BandHoldLimits } {
  const { site, space } = a.space;
  const type = space.type;
  const hasOccupancySensor = space.sensors.some((x) => x.kind === 'occupancy');
  let occupied: boolean;
  if (hasOccupancySensor)
    occupied = occupiedReading(a.sensors?.latest(site.id, space.id, 'occupancy'), a.nowMs);
  else {
    const slot = a.plan ? Math.floor((a.nowMs - a.plan.startMs) / a.plan.slotMs) : -1;
    occupied = a.plan?.hvac[0]?.slots[slot]?.phase === 'occupied';
  }
  const indoor = a.sensors?.latest(site.id, space.id, 'indoor-temperature');
  const comfort = spaceTypeControlOf(a.control, type).comfort;
  const ranges = hvacRanges(a.hvac.device.ctx.device, type, a.control);
  return {
    sample: {
      tsMs: a.nowMs,
      occupied,
      indoorTempC: indoor !== undefined && !indoor.stale ? indoor.value : undefined,
      hvac: a.hvacInForce,
    },
    limits: {
      comfortLowC: comfort.comfortLowC,
      comfortHighC: comfort.comfortHighC,
      coolLimitC: ranges.cool.lo,
      heatLimitC: ranges.heat.hi,
    },
  };
}
