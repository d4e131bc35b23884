import { hvacRanges, lightingRange } from '../../domain/safety/bounds.js';
import type { SafetyContext } from '../../domain/safety/context.js';
import type { SetpointValue } from '../../domain/setpoints/contract.js';

const EPS = 1e-9;

/**
 * Whether a value handed to the bus lies inside the device's bounds: lighting between the device's
 * limits and the space type's safety minimum; HVAC setpoints inside the device limits and the comfort
 * limits of their mode (cooling never below 26 °C, heating never above 20 °C by default).
 */
export function outOfBounds(ctx: SafetyContext, value: SetpointValue): string | undefined {
  if (value.kind === 'lighting') {
    const r = lightingRange(ctx.device, ctx.spaceType, ctx.control);
    return value.levelPct < r.lo - EPS || value.levelPct > r.hi + EPS
      ? `${ctx.device.id}: level ${value.levelPct} % outside ${r.lo}-${r.hi} %`
      : undefined;
  }
  const r = hvacRanges(ctx.device, ctx.spaceType, ctx.control);
  const check = (x: number, lo: number, hi: number, what: string) =>
    x < lo - EPS || x > hi + EPS ? `${ctx.device.id}: ${what} ${x} °C outside ${lo}-${hi} °C` : undefined;
  switch (value.mode) {
    case 'cool':
      return check(value.setpointC, r.cool.lo, r.cool.hi, 'cooling setpoint');
    case 'heat':
      return check(value.setpointC, r.heat.lo, r.heat.hi, 'heating setpoint');
    case 'auto':
      return (
        check(value.heatSetpointC, r.heat.lo, r.heat.hi, 'heating setpoint') ??
        check(value.coolSetpointC, r.cool.lo, r.cool.hi, 'cooling setpoint')
      );
    default:
      return undefined;
  }
}
