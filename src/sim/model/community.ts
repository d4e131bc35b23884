import type { EndUse, SpaceType } from '../../domain/energy.js';
import type { HolidayRule } from './calendar.js';
import type { SpaceTypeParams } from './profiles.js';
import type { HvacScheduleLike, LightingScheduleLike } from './schedule.js';
import type { ThermalParams } from './thermal.js';
import type { ClimateParams } from './weather.js';

/** The simulated community: plain, immutable data built once from the config. */
export interface CommunityModel {
  readonly seed: number;
  readonly stepMs: number;
  readonly publishEveryMs: number;
  /** How long a motion sensor stays "occupied" after the last movement. */
  readonly motionHoldSeconds: number;
  readonly occupancyScale: number;
  readonly sites: readonly SiteModel[];
}

export interface SiteModel {
  readonly id: string;
  /** The site's outdoor temperature topic, if any. */
  readonly timezone: string;
  readonly holidayRule: HolidayRule;
  readonly climate: ClimateParams;
  readonly groundC: number;
  readonly outdoor?: SensorGroup;
  readonly spaces: readonly SpaceModel[];
}

export interface SpaceModel {
  readonly siteId: string;
  readonly id: string;
  /** `<site>/<space>`: the key of its state. */
  readonly key: string;
  readonly type: SpaceType;
  readonly areaM2: number;
  readonly params: SpaceTypeParams;
  readonly thermal: ThermalParams;
  readonly devices: readonly DeviceModel[];
  readonly meters: readonly MeterModel[];
  readonly sensors: readonly SensorModel[];
  /** Sensors by the message they publish in (a Zigbee multi-sensor sends all its fields together). */
  readonly sensorGroups: readonly SensorGroup[];
}

export interface SensorGroup {
  readonly topic: string;
  readonly format: SensorFormat;
  readonly sensors: readonly SensorModel[];
}

export type DeviceModel =
  | {
      readonly kind: 'lighting';
      readonly id: string;
      readonly ratedPowerW: number;
      readonly schedule?: LightingScheduleLike;
    }
  | {
      readonly kind: 'hvac';
      readonly id: string;
      readonly ratedPowerW: number;
      /** Share of its rated power its fans draw whenever it is not off. */
      readonly fanShare: number;
      readonly schedule?: HvacScheduleLike;
    }
  | {
      readonly kind: 'emergency-lighting' | 'co-ventilation' | 'smoke-ventilation';
      readonly id: string;
      readonly ratedPowerW: number;
    };

export type MeterFormat = 'json' | 'number' | 'tasmota' | 'shelly-gen2' | 'zigbee2mqtt';
export type SensorFormat = 'json' | 'number' | 'zigbee2mqtt';
export type SensorKind = 'occupancy' | 'indoor-temperature' | 'outdoor-temperature' | 'illuminance';

export interface MeterModel {
  readonly id: string;
  readonly spaceKey: string;
  readonly topic: string;
  readonly format: MeterFormat;
  readonly measures: EndUse;
  readonly value: 'cumulative' | 'power';
  readonly multiplier: number;
  /** Time zone the meter prints naive local timestamps in. */
  readonly timezone: string;
  /** Share of its end use this meter sees (1 / number of meters measuring the same thing in the space). */
  readonly share: number;
  /** Offset of its publishing cycle, ms: real devices are not synchronised. */
  readonly phaseMs: number;
  /** Typical mean power, kW: the register at start is derived from it (see initialState). */
  readonly nominalKW: number;
}

export interface SensorModel {
  readonly id: string;
  readonly kind: SensorKind;
  readonly topic: string;
  readonly format: SensorFormat;
  readonly phaseMs: number;
}
