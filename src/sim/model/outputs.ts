import type { MeterModel, SensorFormat, SensorKind } from './community.js';

/** One meter reading due for publishing: everything its payload format may need. */
export interface MeterReading {
  readonly kind: 'meter';
  readonly tMs: number;
  readonly meter: MeterModel;
  /** True units (kWh, W); encoders divide by the meter's multiplier. */
  readonly registerKWh: number;
  readonly powerW: number;
  readonly todayKWh: number;
  readonly yesterdayKWh: number;
  /** Energy of the last complete minutes, Wh, newest first. */
  readonly lastMinutesWh: readonly number[];
  readonly voltageV: number;
}

/** One sensor message due for publishing: one value, or all fields of a Zigbee multi-sensor. */
export interface SensorReading {
  readonly kind: 'sensor';
  readonly tMs: number;
  readonly topic: string;
  readonly format: SensorFormat;
  /** Siting space, or undefined for a site's outdoor temperature topic. */
  readonly spaceKey: string | undefined;
  readonly values: Readonly<Partial<Record<SensorKind, number | boolean>>>;
}

export type SimOutput = MeterReading | SensorReading;
