import type { ControlConfig } from '../../config/schema/control.js';
import type { ScheduleConfig } from '../../config/schema/schedule.js';
import type { SiteConfig, SpaceConfig } from '../../config/schema/site.js';
import type { TariffsConfig } from '../../config/schema/tariff.js';
import {
  isControllable,
  outputTargetOf,
  type SafetyContext,
  safetyContextOf,
} from '../../domain/safety/context.js';
import type { InputFreshness } from '../../domain/safety/staleness.js';
import { stateTopic } from '../../domain/setpoints/contract.js';
import type { OutputTarget } from '../../domain/setpoints/encoded.js';
import { tasmotaName } from '../../domain/setpoints/tasmota.js';

/** The part of the config the control loop reads. */
export interface ControlSetup {
  readonly sites: readonly SiteConfig[];
  readonly schedules: readonly ScheduleConfig[];
  readonly control: ControlConfig;
  /** `mqtt.topicPrefix`. */
  readonly prefix: string;
  /** Tariffs, so plans can move HVAC load to cheaper periods; flat prices without. */
  readonly tariffs?: TariffsConfig;
}

/** One device QuietWatt may command, with everything the safety layer and encoders need. */
export interface ControlledDevice {
  /** `site/space/device`. */
  readonly key: string;
  readonly siteId: string;
  readonly spaceId: string;
  readonly deviceId: string;
  readonly ctx: SafetyContext;
  readonly target: OutputTarget;
  /** Where the controller reports its state; absent when it cannot (served open loop). */
  readonly stateTopic?: string;
  /** Meters that show this device's consumption (same end use, else the space total). */
  readonly meterIds: readonly string[];
}

export interface ControlledSpace {
  readonly key: string;
  readonly site: SiteConfig;
  readonly space: SpaceConfig;
  readonly devices: readonly ControlledDevice[];
}

/**
 * Where a controller reports. Native: `stateTopic`, else `<topic>/state`, else the contract default.
 * Presets report in their own format on their own topics: Zigbee2MQTT on the device's base topic,
 * Tasmota on `stat/<topic>/RESULT`, Home Assistant only where `stateTopic` is configured.
 */
export function stateTopicOf(d: ControlledDevice['ctx']['device'], target: OutputTarget): string | undefined {
  if (d.stateTopic !== undefined) return d.stateTopic;
  switch (target.output) {
    case 'native':
      return d.topic === undefined ? stateTopic(target.prefix, target.address) : `${d.topic}/state`;
    case 'zigbee2mqtt':
      return d.topic ?? `zigbee2mqtt/${d.id}`;
    case 'tasmota':
      return `stat/${tasmotaName(target)}/RESULT`;
    case 'home-assistant':
      return undefined;
  }
}

/** Every controllable device of the config, grouped per space (life-safety kinds never appear). */
export function catalogue(setup: ControlSetup): ControlledSpace[] {
  const spaces: ControlledSpace[] = [];
  for (const site of setup.sites) {
    for (const space of site.spaces) {
      const devices: ControlledDevice[] = [];
      for (const device of space.devices) {
        if (!isControllable(device)) continue;
        const ctx = safetyContextOf(setup, site, space, device);
        const target = outputTargetOf(ctx);
        if (target === undefined) continue;
        const sameUse = space.meters.filter((m) => m.measures === device.kind).map((m) => m.id);
        const total = space.meters.filter((m) => m.measures === 'total').map((m) => m.id);
        const topic = stateTopicOf(device, target);
        devices.push({
          key: `${site.id}/${space.id}/${device.id}`,
          siteId: site.id,
          spaceId: space.id,
          deviceId: device.id,
          ctx,
          target,
          ...(topic === undefined ? {} : { stateTopic: topic }),
          meterIds: sameUse.length > 0 ? sameUse : total,
        });
      }
      if (devices.length > 0) spaces.push({ key: `${site.id}/${space.id}`, site, space, devices });
    }
  }
  return spaces;
}

/** Meters and sensors of a space as the safety layer judges staleness. */
export function spaceInputs(
  space: ControlledSpace,
  meterLastSeen: (meterId: string) => number | undefined,
  sensors: readonly {
    id: string;
    spaceId: string | null;
    siteId: string;
    kind: InputFreshness['kind'];
    lastSeenMs?: number;
    staleAfterMinutes: number;
  }[],
): InputFreshness[] {
  const out: InputFreshness[] = [];
  for (const m of space.space.meters) {
    const seen = meterLastSeen(m.id);
    out.push({ id: m.id, kind: 'meter', ...(seen === undefined ? {} : { lastSeenMs: seen }) });
  }
  for (const s of sensors) {
    if (s.siteId !== space.site.id || s.spaceId !== space.space.id) continue;
    out.push({
      id: s.id,
      kind: s.kind,
      staleAfterMinutes: s.staleAfterMinutes,
      ...(s.lastSeenMs === undefined ? {} : { lastSeenMs: s.lastSeenMs }),
    });
  }
  return out;
}
