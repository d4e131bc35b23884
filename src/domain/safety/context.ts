import type { ControlConfig } from '../../config/schema/control.js';
import type { DeviceConfig } from '../../config/schema/device.js';
import type { ScheduleConfig } from '../../config/schema/schedule.js';
import type { SpaceMode } from '../control/space-mode.js';
import { isLifeSafetyKind } from '../devices/kinds.js';
import type { SpaceType } from '../energy.js';
import type { OutputTarget } from '../setpoints/encoded.js';
import type { DeviceRecord } from './device-record.js';
import type { InputFreshness } from './staleness.js';

/** Configuration the safety layer reads for one device. */
export interface SafetyContext {
  readonly siteId: string;
  readonly spaceId: string;
  readonly spaceType: SpaceType;
  /** Site time zone (schedules are in local time). */
  readonly timezone: string;
  readonly device: DeviceConfig;
  readonly control: ControlConfig;
  readonly schedules: readonly ScheduleConfig[];
  /** `mqtt.topicPrefix`. */
  readonly prefix: string;
}

/** The safety context of one configured device of a space. */
export function safetyContextOf(
  setup: {
    readonly control: ControlConfig;
    readonly schedules: readonly ScheduleConfig[];
    /** `mqtt.topicPrefix`. */
    readonly prefix: string;
  },
  site: { readonly id: string; readonly timezone: string },
  space: { readonly id: string; readonly type: SpaceType },
  device: DeviceConfig,
): SafetyContext {
  return {
    siteId: site.id,
    spaceId: space.id,
    spaceType: space.type,
    timezone: site.timezone,
    device,
    control: setup.control,
    schedules: setup.schedules,
    prefix: setup.prefix,
  };
}

export interface ReleaseState {
  /** The fire-alarm input is active. */
  readonly fireAlarm: boolean;
  /** `quietwatt release` is in force. */
  readonly operator: boolean;
}

/** What the safety layer knows about the device and its space right now. */
export interface SafetyState {
  readonly record: DeviceRecord;
  /** Meters and sensors of the space with their last message times. */
  readonly inputs?: readonly InputFreshness[];
  readonly release?: ReleaseState;
  /** The space's mode in force (an operator's wins over the config's); the config's when absent. */
  readonly spaceMode?: SpaceMode;
}

export function isControllable(device: DeviceConfig): device is DeviceConfig & { kind: 'lighting' | 'hvac' } {
  return !isLifeSafetyKind(device.kind) && (device.kind === 'lighting' || device.kind === 'hvac');
}

export function outputTargetOf(ctx: SafetyContext): OutputTarget | undefined {
  const d = ctx.device;
  if (!isControllable(d)) return undefined;
  return {
    address: { site: ctx.siteId, space: ctx.spaceId, device: d.id },
    kind: d.kind,
    output: d.output,
    topic: d.topic,
    options: d.outputOptions,
    prefix: ctx.prefix,
  };
}
