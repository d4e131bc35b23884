import type { QuietWattConfig, SimSpaceTypeParams } from '../../config/schema/index.js';
import type { EndUse, SpaceType } from '../../domain/energy.js';
import { holidayRuleFor } from './calendar.js';
import type {
  CommunityModel,
  DeviceModel,
  MeterModel,
  SensorGroup,
  SensorModel,
  SiteModel,
  SpaceModel,
} from './community.js';
import { SPACE_TYPE_PARAMS, type SpaceTypeParams } from './profiles.js';
import { hashUniform } from './rng.js';
import type { HvacScheduleLike, LightingScheduleLike } from './schedule.js';
import { type ClimateParams, groundTemperatureC, SHANGHAI_CLIMATE } from './weather.js';
import type { WeatherEpisode } from './weather-episode.js';

type SiteConfig = QuietWattConfig['sites'][number];
type SpaceConfig = SiteConfig['spaces'][number];

/** A PIR sensor's hold time after the last motion (Zigbee motion sensors default to 60-90 s). */
const MOTION_HOLD_SECONDS = 90;

/** Phase of a device's publishing cycle, whole steps within one period, derived from the seed. */
function phaseMs(seed: number, id: string, periodMs: number, stepMs: number): number {
  const slots = Math.max(1, Math.floor(periodMs / stepMs));
  return Math.floor(hashUniform(seed, `phase:${id}`) * slots) * stepMs;
}

/** The built-in parameters of a space type with the config's overrides applied. */
export function spaceTypeParams(type: SpaceType, o: SimSpaceTypeParams | undefined): SpaceTypeParams {
  const base = SPACE_TYPE_PARAMS[type];
  if (!o) return base;
  const { arrivalScale, ...scalars } = o;
  const defined = Object.fromEntries(Object.entries(scalars).filter(([, v]) => v !== undefined));
  return {
    ...base,
    ...defined,
    // Rates scale with area / referenceAreaM2, so scaling the reference area scales every arrival rate.
    ...(arrivalScale === undefined
      ? {}
      : { referenceAreaM2: base.referenceAreaM2 / Math.max(arrivalScale, 1e-9) }),
  };
}

function climateFor(
  site: SiteConfig,
  sim: QuietWattConfig['simulator'],
  episode: WeatherEpisode | undefined,
): ClimateParams {
  const c = sim.climate;
  return {
    ...SHANGHAI_CLIMATE,
    ...(c.monthlyMeanC ? { monthlyMeanC: c.monthlyMeanC } : {}),
    ...(c.monthlyCloudCover ? { monthlyCloudCover: c.monthlyCloudCover } : {}),
    ...(c.diurnalRangeC !== undefined ? { diurnalRangeC: c.diurnalRangeC } : {}),
    ...(c.anomalyStdC !== undefined ? { anomalyStdC: c.anomalyStdC } : {}),
    latitudeDeg: site.latitude ?? SHANGHAI_CLIMATE.latitudeDeg,
    longitudeDeg: site.longitude ?? SHANGHAI_CLIMATE.longitudeDeg,
    ...(episode ? { episode } : {}),
  };
}

/** Share of rated power an HVAC unit's fans draw whenever it is not off, unless its config says. */
const HVAC_FAN_SHARE = 0.1;

function devicesOf(space: SpaceConfig, schedules: QuietWattConfig['schedules']): DeviceModel[] {
  return space.devices.map((d): DeviceModel => {
    const schedule = d.schedule === undefined ? undefined : schedules.find((s) => s.id === d.schedule);
    if (d.kind === 'lighting') {
      const s = schedule?.kind === 'lighting' ? (schedule as LightingScheduleLike) : undefined;
      return { kind: 'lighting', id: d.id, ratedPowerW: d.ratedPowerW, ...(s ? { schedule: s } : {}) };
    }
    if (d.kind === 'hvac') {
      const s = schedule?.kind === 'hvac' ? (schedule as HvacScheduleLike) : undefined;
      // The config's idle draw where it gives one: the simulated unit is the unit it describes.
      const fanShare = d.idlePowerW === undefined ? HVAC_FAN_SHARE : d.idlePowerW / d.ratedPowerW;
      return { kind: 'hvac', id: d.id, ratedPowerW: d.ratedPowerW, fanShare, ...(s ? { schedule: s } : {}) };
    }
    return { kind: d.kind, id: d.id, ratedPowerW: d.ratedPowerW };
  });
}

/** Rough mean power of each end use, kW: only sets where registers start, not what they do. */
function nominalKW(devices: readonly DeviceModel[], plugBaseW: number): Record<EndUse, number> {
  let lighting = 0;
  let hvac = 0;
  for (const d of devices) {
    if (d.kind === 'lighting') lighting += d.ratedPowerW * 0.5;
    else if (d.kind === 'emergency-lighting') lighting += d.ratedPowerW;
    else if (d.kind === 'hvac') hvac += d.ratedPowerW * 0.2;
    else if (d.kind === 'co-ventilation') hvac += d.ratedPowerW * 0.2;
  }
  const plug = plugBaseW;
  return {
    lighting: lighting / 1000,
    hvac: hvac / 1000,
    plug: plug / 1000,
    total: (lighting + hvac + plug) / 1000,
  };
}

function buildSpace(
  site: SiteConfig,
  space: SpaceConfig,
  config: QuietWattConfig,
  periodMs: number,
  stepMs: number,
): SpaceModel {
  const seed = config.simulator.seed;
  const params = spaceTypeParams(space.type, config.simulator.spaceTypes[space.type]);
  const key = `${site.id}/${space.id}`;
  const devices = devicesOf(space, config.schedules);
  const nominal = nominalKW(devices, params.plugBaseWPerM2 * space.areaM2);
  const meters: MeterModel[] = space.meters.map((m) => {
    const peers = space.meters.filter((o) => o.measures === m.measures).length;
    return {
      id: m.id,
      spaceKey: key,
      topic: m.topic,
      format: m.format,
      measures: m.measures,
      value: m.value,
      multiplier: m.multiplier,
      timezone: m.timezone ?? site.timezone,
      share: 1 / Math.max(1, peers),
      phaseMs: phaseMs(seed, m.id, periodMs, stepMs),
      nominalKW: nominal[m.measures] / Math.max(1, peers),
    };
  });
  const sensors: SensorModel[] = space.sensors.map((s) => ({
    id: s.id,
    kind: s.kind,
    topic: s.topic,
    format: s.format,
    phaseMs: phaseMs(seed, s.id, periodMs, stepMs),
  }));
  return {
    sensorGroups: groupSensors(sensors),
    siteId: site.id,
    id: space.id,
    key,
    type: space.type,
    areaM2: space.areaM2,
    params,
    thermal: {
      uaWPerK: params.uaWPerKM2 * space.areaM2,
      capacityJPerK: params.capacityJPerKM2 * space.areaM2,
    },
    devices,
    meters,
    sensors,
  };
}

/**
 * Zigbee2MQTT sensors sharing a topic are one device: every message carries all of its fields.
 * Other formats carry one value per message, so each sensor publishes on its own.
 */
export function groupSensors(sensors: readonly SensorModel[]): SensorGroup[] {
  const groups: SensorGroup[] = [];
  const byTopic = new Map<string, SensorModel[]>();
  for (const s of sensors) {
    if (s.format !== 'zigbee2mqtt') {
      groups.push({ topic: s.topic, format: s.format, sensors: [s] });
      continue;
    }
    const members = byTopic.get(s.topic);
    if (members) {
      members.push(s);
      continue;
    }
    const fresh = [s];
    byTopic.set(s.topic, fresh);
    groups.push({ topic: s.topic, format: s.format, sensors: fresh });
  }
  return groups;
}

export interface BuildOptions {
  /** A heat wave or cold snap over every site's weather (the savings bench's extreme scenarios). */
  readonly episode?: WeatherEpisode;
}

/** The simulated community described by a validated config. Pure: the same config gives the same model. */
export function buildCommunityModel(config: QuietWattConfig, options: BuildOptions = {}): CommunityModel {
  const sim = config.simulator;
  const stepMs = sim.stepSeconds * 1000;
  const publishEveryMs = Math.max(stepMs, Math.round(sim.publishEverySeconds * 1000));
  const sites: SiteModel[] = config.sites.map((site) => {
    const climate = climateFor(site, sim, options.episode);
    const outdoorId = `${site.id}-outdoor-temperature`;
    const outdoorSensor: SensorModel | undefined = site.outdoorTemperatureTopic
      ? {
          id: outdoorId,
          kind: 'outdoor-temperature',
          topic: site.outdoorTemperatureTopic,
          format: site.outdoorTemperatureFormat,
          phaseMs: phaseMs(sim.seed, outdoorId, publishEveryMs, stepMs),
        }
      : undefined;
    const outdoor = outdoorSensor ? groupSensors([outdoorSensor])[0] : undefined;
    return {
      id: site.id,
      timezone: site.timezone,
      holidayRule: holidayRuleFor(site.timezone, sim.holidays),
      climate,
      groundC: groundTemperatureC(climate),
      ...(outdoor ? { outdoor } : {}),
      spaces: site.spaces.map((space) => buildSpace(site, space, config, publishEveryMs, stepMs)),
    };
  });
  return {
    seed: sim.seed,
    stepMs,
    publishEveryMs,
    motionHoldSeconds: MOTION_HOLD_SECONDS,
    occupancyScale: sim.occupancyScale,
    sites,
  };
}
