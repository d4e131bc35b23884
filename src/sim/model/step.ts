import { type LocalTime, localTime } from './calendar.js';
import type { CommunityModel, DeviceModel, SensorKind, SiteModel, SpaceModel } from './community.js';
import { hvacStep } from './hvac.js';
import { indoorIlluminanceLux, lightingPowerW } from './lighting.js';
import { arrivalRatePerHour, motionOccupied, stepOccupancy } from './occupancy.js';
import type { MeterReading, SimOutput } from './outputs.js';
import { Rng } from './rng.js';
import { type HvacCommand, hvacCommand, lightingLevelPct } from './schedule.js';
import type { CommunityState, DeviceLease, MeterState, SiteState, SpaceState } from './state.js';
import { stepTemperatureC } from './thermal.js';
import { stepWeather, weatherAt } from './weather.js';

export interface AdvanceResult {
  readonly state: CommunityState;
  /** Readings due in (state.tMs, toMs], in time order. */
  readonly outputs: SimOutput[];
}

/** Share of rated power an HVAC unit's fans draw whenever it is not off. */
const HVAC_FAN_SHARE = 0.1;

/** Lighting level a device runs at: a valid lease wins, else its schedule; no schedule means always on. */
export function lightingLevelFor(
  device: DeviceModel & { kind: 'lighting' },
  lease: DeviceLease | undefined,
  tMs: number,
  at: LocalTime,
): number {
  if (lease?.kind === 'lighting' && tMs < lease.validUntilMs) return lease.levelPct;
  return device.schedule ? lightingLevelPct(device.schedule, at) : 100;
}

/** HVAC command a device runs: a valid lease wins, else its schedule; no schedule means off. */
export function hvacCommandFor(
  device: DeviceModel & { kind: 'hvac' },
  lease: DeviceLease | undefined,
  tMs: number,
  at: LocalTime,
): HvacCommand {
  if (lease?.kind === 'hvac' && tMs < lease.validUntilMs)
    return { mode: lease.mode, setpointC: lease.setpointC };
  return device.schedule ? hvacCommand(device.schedule, at) : { mode: 'off', setpointC: 24 };
}

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

interface SpaceStep {
  /** The space after the step; its illuminance is filled in once end-of-step daylight is known. */
  readonly state: SpaceState;
  /** Lighting level weighted by rated power, %. */
  readonly meanLevelPct: number;
}

function stepSpace(
  model: CommunityModel,
  space: SpaceModel,
  site: SiteModel,
  prev: SpaceState,
  siteNow: SiteState,
  leases: CommunityState['leases'],
  t0: number,
  t1: number,
  at: LocalTime,
): SpaceStep {
  const dtS = (t1 - t0) / 1000;
  const rng = new Rng(prev.rng);
  const rate = arrivalRatePerHour(
    space.params,
    space.areaM2,
    at.dayType,
    at.minuteOfDay / 60,
    model.occupancyScale,
  );
  const occupancy = stepOccupancy(prev.occupancy, rate, space.params.dwellMinutes, t1, dtS, rng);
  const people = (prev.occupancy.count + occupancy.count) / 2;

  let lightingW = 0;
  let hvacFanAndVentW = 0;
  let levelWeighted = 0;
  let lightingRated = 0;
  const hvacDevices: (DeviceModel & { kind: 'hvac' })[] = [];
  for (const d of space.devices) {
    switch (d.kind) {
      case 'lighting': {
        const level = lightingLevelFor(d, leases[d.id], t0, at);
        lightingW += lightingPowerW(d.ratedPowerW, level);
        levelWeighted += level * d.ratedPowerW;
        lightingRated += d.ratedPowerW;
        break;
      }
      case 'emergency-lighting':
        // Maintained emergency luminaires burn around the clock.
        lightingW += d.ratedPowerW;
        break;
      case 'co-ventilation':
        // CO-controlled fans: a purge of 10 minutes an hour, and whenever cars are moving.
        if (at.minuteOfDay % 60 < 10 || occupancy.count >= 2) hvacFanAndVentW += d.ratedPowerW;
        break;
      case 'smoke-ventilation':
        break;
      case 'hvac':
        hvacDevices.push(d);
        break;
    }
  }
  const plugW = space.params.plugBaseWPerM2 * space.areaM2 + space.params.plugPerOccupantW * people;
  const outdoorC = siteNow.now.outdoorC;
  const { groundShare, interiorShare } = space.params;
  const boundaryC =
    (1 - groundShare - interiorShare) * outdoorC +
    groundShare * site.groundC +
    interiorShare * siteNow.now.interiorC;
  let gainsW =
    lightingW +
    plugW +
    people * space.params.occupantGainW +
    space.params.solarApertureM2PerM2 * space.areaM2 * siteNow.now.ghiWm2;
  let hvacHeatW = 0;
  let hvacW = hvacFanAndVentW;
  for (const d of hvacDevices) {
    const command = hvacCommandFor(d, leases[d.id], t0, at);
    // Units share a space: each delivers what is still needed after the ones before it.
    const r = hvacStep(
      command,
      { ratedPowerW: d.ratedPowerW, fanShare: HVAC_FAN_SHARE },
      prev.indoorC,
      boundaryC,
      outdoorC,
      gainsW,
      space.thermal,
      dtS,
    );
    gainsW += r.heatW;
    hvacHeatW += r.heatW;
    hvacW += r.electricW;
  }
  const indoorC = stepTemperatureC(
    prev.indoorC,
    boundaryC,
    gainsW - hvacHeatW,
    hvacHeatW,
    space.thermal,
    dtS,
  );
  const meanLevelPct = lightingRated > 0 ? levelWeighted / lightingRated : 0;
  return {
    state: {
      occupancy,
      indoorC,
      rng: rng.state(),
      lightingW,
      hvacW,
      plugW,
      illuminanceLux: prev.illuminanceLux,
      reportedOccupied: prev.reportedOccupied,
    },
    meanLevelPct,
  };
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
