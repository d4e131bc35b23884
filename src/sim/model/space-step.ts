import type { LocalTime } from './calendar.js';
import type { CommunityModel, DeviceModel, SiteModel, SpaceModel } from './community.js';
import { hvacStep } from './hvac.js';
import { lightingPowerW } from './lighting.js';
import { arrivalRatePerHour, stepOccupancy } from './occupancy.js';
import { Rng } from './rng.js';
import { type HvacCommand, hvacCommand, lightingLevelPct } from './schedule.js';
import type { CommunityState, DeviceLease, SiteState, SpaceState } from './state.js';
import { stepTemperatureC } from './thermal.js';

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

/** The temperature a space loses heat to, °C: outdoor air, blended with the ground and the interior. */
export function boundaryTemperatureC(space: SpaceModel, site: SiteModel, siteNow: SiteState): number {
  const { groundShare, interiorShare } = space.params;
  return (
    (1 - groundShare - interiorShare) * siteNow.now.outdoorC +
    groundShare * site.groundC +
    interiorShare * siteNow.now.interiorC
  );
}

/** Heat gains of a space other than its HVAC units', W: lighting, plug loads, people and the sun. */
export function heatGainsW(
  space: SpaceModel,
  siteNow: SiteState,
  lightingW: number,
  plugW: number,
  people: number,
): number {
  return (
    lightingW +
    plugW +
    people * space.params.occupantGainW +
    space.params.solarApertureM2PerM2 * space.areaM2 * siteNow.now.ghiWm2
  );
}

export interface SpaceStep {
  /** The space after the step; its illuminance is filled in once end-of-step daylight is known. */
  readonly state: SpaceState;
  /** Lighting level weighted by rated power, %. */
  readonly meanLevelPct: number;
}

/** One step of one space: crowd, equipment under its commands, power by end use, temperature. */
export function stepSpace(
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
  let lifeSafetyW = 0;
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
        lifeSafetyW += d.ratedPowerW;
        break;
      case 'co-ventilation':
        // CO-controlled fans: a purge of 10 minutes an hour, and whenever cars are moving.
        if (at.minuteOfDay % 60 < 10 || occupancy.count >= 2) {
          hvacFanAndVentW += d.ratedPowerW;
          lifeSafetyW += d.ratedPowerW;
        }
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
  const boundaryC = boundaryTemperatureC(space, site, siteNow);
  let gainsW = heatGainsW(space, siteNow, lightingW, plugW, people);
  let hvacHeatW = 0;
  let hvacW = hvacFanAndVentW;
  for (const d of hvacDevices) {
    const command = hvacCommandFor(d, leases[d.id], t0, at);
    // Units share a space: each delivers what is still needed after the ones before it.
    const r = hvacStep(
      command,
      { ratedPowerW: d.ratedPowerW, fanShare: d.fanShare },
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
      lifeSafetyW,
      illuminanceLux: prev.illuminanceLux,
      reportedOccupied: prev.reportedOccupied,
    },
    meanLevelPct,
  };
}
