import type { QuietWattConfig } from '../../config/schema/index.js';
import type { SpaceType } from '../../domain/energy.js';
import { stateTopic as defaultStateTopic, instanceStatusTopic } from '../../domain/setpoints/contract.js';
import type { OutputTarget } from '../../domain/setpoints/encoded.js';
import { haTopics } from '../../domain/setpoints/home-assistant.js';
import { nativeSetTopic } from '../../domain/setpoints/native.js';
import { tasmotaName } from '../../domain/setpoints/tasmota.js';
import { z2mSetTopic } from '../../domain/setpoints/zigbee2mqtt.js';

/** One simulated controller: which device it drives, where its commands arrive and where it reports. */
export interface ControllerSpec {
  readonly deviceId: string;
  readonly kind: 'lighting' | 'hvac';
  readonly siteId: string;
  /** `<site>/<space>`: the key of the space's model state. */
  readonly spaceKey: string;
  readonly spaceType: SpaceType;
  readonly target: OutputTarget;
  /** Topics (no wildcards) the controller takes commands on. */
  readonly commandTopics: readonly string[];
  /** Where it publishes state reports; none for a preset device without a configured `stateTopic`. */
  readonly stateTopic?: string;
  /** The service's availability topic (a native controller returns to its schedule on `offline`). */
  readonly statusTopic: string;
}

function commandTopicsOf(t: OutputTarget): string[] {
  switch (t.output) {
    case 'native':
      return [nativeSetTopic(t)];
    case 'zigbee2mqtt':
      return [z2mSetTopic(t)];
    case 'tasmota': {
      const base = `cmnd/${tasmotaName(t)}`;
      const relay = t.options.tasmotaRelay;
      const names = ['Dimmer', 'POWER', 'Power', 'Backlog', 'PulseTime1', 'POWER1', 'Power1'];
      if (relay !== undefined) names.push(`POWER${relay}`, `Power${relay}`, `PulseTime${relay}`);
      return [...new Set(names)].map((n) => `${base}/${n}`);
    }
    case 'home-assistant': {
      const h = haTopics(t);
      return t.kind === 'lighting'
        ? [h.light]
        : [h.mode, h.temperature, h.temperatureLow, h.temperatureHigh, h.fanMode];
    }
  }
}

/** The controllers of every lighting and HVAC device in the config (life-safety kinds have none). */
export function controllerSpecs(config: QuietWattConfig): ControllerSpec[] {
  const prefix = config.mqtt.topicPrefix;
  const out: ControllerSpec[] = [];
  for (const site of config.sites) {
    for (const space of site.spaces) {
      for (const d of space.devices) {
        if (d.kind !== 'lighting' && d.kind !== 'hvac') continue;
        const address = { site: site.id, space: space.id, device: d.id };
        const target: OutputTarget = {
          address,
          kind: d.kind,
          output: d.output,
          topic: d.topic,
          options: d.outputOptions,
          prefix,
        };
        const nativeState =
          d.stateTopic ?? (d.topic === undefined ? defaultStateTopic(prefix, address) : `${d.topic}/state`);
        const reportTopic = d.output === 'native' ? nativeState : d.stateTopic;
        out.push({
          deviceId: d.id,
          kind: d.kind,
          siteId: site.id,
          spaceKey: `${site.id}/${space.id}`,
          spaceType: space.type,
          target,
          commandTopics: commandTopicsOf(target),
          ...(reportTopic === undefined ? {} : { stateTopic: reportTopic }),
          statusTopic: instanceStatusTopic(prefix, config.instance.id),
        });
      }
    }
  }
  return out;
}
