import { localTime } from './calendar.js';
import type { CommunityModel, SensorKind } from './community.js';
import { indoorIlluminanceLux } from './lighting.js';
import { motionOccupied } from './occupancy.js';
import type { MeterReading, SimOutput } from './outputs.js';
import { Rng } from './rng.js';
import { stepSpace } from './space-step.js';
import type { CommunityState, MeterState, SiteState, SpaceState } from './state.js';
import { stepWeather, weatherAt } from './weather.js';

export interface AdvanceResult {
  readonly state: CommunityState;
  /** Readings due in (state.tMs, toMs], in time order. */
  readonly outputs: SimOutput[];
}

export { hvacCommandFor, lightingLevelFor } from './space-step.js';

/** Whether a periodic publisher with this phase is due in (t0, t1]. */
function due(t0: number, t1: number, periodMs: number, phaseMs: number): boolean {
  return Math.floor((t1 - phaseMs) / periodMs) > Math.floor((t0 - phaseMs) / periodMs);
}

/** Mains voltage wanders a little around China's 220 V. */
function voltageAt(tMs: number): number {
  return (
    220 + 3 * Math.sin((2 * Math.PI * tMs) / 5_400_000) + 1.5 * Math.sin((2 * Math.PI * tMs) / 86_400_000)
  );
}

function stepMeter(prev: MeterState, powerW: number, dtS: number, date: string): MeterState {
  const wh = (powerW * dtS) / 3600;
  const registerKWh = prev.registerKWh + wh / 1000;
  const recentWh = [...prev.recentWh.slice(-2), wh];
  if (prev.day === date) return { ...prev, registerKWh, powerW, recentWh };
  // A new local day: Tasmota's Today restarts and Yesterday takes the day just ended.
  const yesterdayKWh = prev.day === '' ? 0 : prev.registerKWh - prev.dayStartKWh;
  return { registerKWh, powerW, day: date, dayStartKWh: prev.registerKWh, yesterdayKWh, recentWh };
}

/** One step of the whole community from `state.tMs` to `t1`, collecting the readings due. */
function stepOnce(model: CommunityModel, state: CommunityState, t1: number, emit: boolean, out: SimOutput[]) {
  const t0 = state.tMs;
  const dtS = (t1 - t0) / 1000;
  const sites: Record<string, SiteState> = {};
  const spaces: Record<string, SpaceState> = {};
  const meters: Record<string, MeterState> = {};
  for (const site of model.sites) {
    const prevSite = state.sites[site.id];
    if (!prevSite) throw new Error(`no state for site ${site.id}`);
    const at0 = localTime(t0, site.timezone, site.holidayRule);
    const at1 = localTime(t1, site.timezone, site.holidayRule);
    const rng = new Rng(prevSite.rng);
    const weather = stepWeather(prevSite.weather, site.climate, dtS, rng);
    const now = weatherAt(weather, site.climate, t1, at1.dayOfYear, at1.minuteOfDay / 60);
    sites[site.id] = { weather, now, rng: rng.state() };
    if (emit && site.outdoor?.sensors.some((x) => due(t0, t1, model.publishEveryMs, x.phaseMs))) {
      const { topic, format } = site.outdoor;
      out.push({
        kind: 'sensor',
        tMs: t1,
        topic,
        format,
        spaceKey: undefined,
        values: { 'outdoor-temperature': now.outdoorC },
      });
    }
    for (const space of site.spaces) {
      const prev = state.spaces[space.key];
      if (!prev) throw new Error(`no state for space ${space.key}`);
      const { state: stepped, meanLevelPct } = stepSpace(
        model,
        space,
        site,
        prev,
        prevSite,
        state.leases,
        t0,
        t1,
        at0,
      );
      const illuminanceLux = indoorIlluminanceLux(
        space.params.designLux,
        meanLevelPct,
        space.params.daylightFactor,
        now.ghiWm2,
      );
      const occupied = motionOccupied(stepped.occupancy, t1, model.motionHoldSeconds);
      const changed = stepped.reportedOccupied !== occupied;
      spaces[space.key] = {
        ...stepped,
        illuminanceLux,
        reportedOccupied: emit ? occupied : stepped.reportedOccupied,
      };
      const endUse = { lighting: stepped.lightingW, hvac: stepped.hvacW, plug: stepped.plugW };
      const totalW = endUse.lighting + endUse.hvac + endUse.plug;
      for (const meter of space.meters) {
        const prevMeter = state.meters[meter.id];
        if (!prevMeter) throw new Error(`no state for meter ${meter.id}`);
        const powerW = meter.share * (meter.measures === 'total' ? totalW : endUse[meter.measures]);
        const date = meter.timezone === site.timezone ? at1.date : localTime(t1, meter.timezone, 'none').date;
        const next = stepMeter(prevMeter, powerW, dtS, date);
        meters[meter.id] = next;
        if (emit && due(t0, t1, model.publishEveryMs, meter.phaseMs))
          out.push(meterReading(meter, next, t1, dtS));
      }
      if (!emit) continue;
      const current: Record<SensorKind, number | boolean> = {
        occupancy: occupied,
        'indoor-temperature': stepped.indoorC,
        'outdoor-temperature': now.outdoorC,
        illuminance: illuminanceLux,
      };
      for (const group of space.sensorGroups) {
        // Motion sensors report on change; the others every period. A multi-sensor sends every field.
        const isDue = group.sensors.some((x) =>
          x.kind === 'occupancy' ? changed : due(t0, t1, model.publishEveryMs, x.phaseMs),
        );
        if (!isDue) continue;
        const values: Partial<Record<SensorKind, number | boolean>> = {};
        for (const x of group.sensors) values[x.kind] = current[x.kind];
        out.push({
          kind: 'sensor',
          tMs: t1,
          topic: group.topic,
          format: group.format,
          spaceKey: space.key,
          values,
        });
      }
    }
  }
  return { tMs: t1, sites, spaces, meters, leases: state.leases };
}

function meterReading(meter: MeterReading['meter'], s: MeterState, t1: number, dtS: number): MeterReading {
  const perMinute = 60 / dtS;
  return {
    kind: 'meter',
    tMs: t1,
    meter,
    registerKWh: s.registerKWh,
    powerW: s.powerW,
    todayKWh: s.registerKWh - s.dayStartKWh,
    yesterdayKWh: s.yesterdayKWh,
    lastMinutesWh: [...s.recentWh].reverse().map((wh) => wh * perMinute),
    voltageV: voltageAt(t1),
  };
}

/**
 * Advances the community from `state.tMs` to the last step boundary at or before `toMs`, in fixed
 * steps of `model.stepMs`. Pure: the input state is not changed, and the result depends only on the
 * model, the state and the boundary reached, never on how the caller splits time into calls: this
 * is what makes the simulation independent of the clock's speed. With `emit` false nothing is
 * collected (burn-in, skipped backlog).
 */
export function advance(
  model: CommunityModel,
  state: CommunityState,
  toMs: number,
  emit = true,
): AdvanceResult {
  const outputs: SimOutput[] = [];
  const target = Math.floor(toMs / model.stepMs) * model.stepMs;
  let s = state;
  while (s.tMs < target) {
    const next = Math.min(target, (Math.floor(s.tMs / model.stepMs) + 1) * model.stepMs);
    s = stepOnce(model, s, next, emit, outputs);
  }
  return { state: s, outputs };
}
