import type { QuietWattConfig } from '../../config/schema/index.js';
import { hvacRanges, lightingRange } from '../../domain/safety/bounds.js';
import { outputTargetOf, type SafetyContext, safetyContextOf } from '../../domain/safety/context.js';
import type { SetpointValue } from '../../domain/setpoints/contract.js';
import { decodeNative, nativeSetTopic } from '../../domain/setpoints/native.js';

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

/** Safety contexts of native devices by their command topic. */
export function nativeContexts(config: QuietWattConfig): Map<string, SafetyContext> {
  const out = new Map<string, SafetyContext>();
  const setup = { control: config.control, schedules: config.schedules, prefix: config.mqtt.topicPrefix };
  for (const site of config.sites)
    for (const space of site.spaces)
      for (const device of space.devices) {
        const ctx = safetyContextOf(setup, site, space, device);
        const t = outputTargetOf(ctx);
        if (t?.output === 'native') out.set(nativeSetTopic(t), ctx);
      }
  return out;
}

/** Checks a published native setpoint against its device's bounds; other messages pass. */
export function checkPublished(
  contexts: ReadonlyMap<string, SafetyContext>,
  topic: string,
  payload: string,
): string | undefined {
  const ctx = contexts.get(topic);
  if (!ctx || payload === '') return undefined;
  const d = decodeNative({ topic, payload, qos: 1, retain: true });
  if (!d) return `${ctx.device.id}: unreadable setpoint ${payload.slice(0, 80)}`;
  if (d.kind === 'cleared') return undefined;
  if (d.kind === 'lighting') return outOfBounds(ctx, { kind: 'lighting', levelPct: d.levelPct });
  switch (d.mode) {
    case 'cool':
    case 'heat':
      return d.setpointC === undefined
        ? undefined
        : outOfBounds(ctx, { kind: 'hvac', mode: d.mode, setpointC: d.setpointC });
    case 'auto':
      return d.heatSetpointC === undefined || d.coolSetpointC === undefined
        ? undefined
        : outOfBounds(ctx, {
            kind: 'hvac',
            mode: 'auto',
            heatSetpointC: d.heatSetpointC,
            coolSetpointC: d.coolSetpointC,
          });
    default:
      return undefined;
  }
}
