/**
 * Home Assistant MQTT discovery configs for QuietWatt's entities: pure data, built from the config
 * in force. Full key names only (no abbreviations), as documented for the MQTT sensor, binary
 * sensor, select and button, and the discovery `device` and `origin` blocks.
 */
import { SPACE_MODES } from '../control/space-mode.js';
import {
  discoveryNodeId,
  discoveryTopic,
  type HaComponent,
  haModeCommandTopic,
  haServiceCommandTopic,
  haServiceStateTopic,
  haSpaceStateTopic,
} from './topics.js';

export interface HaDevice {
  readonly id: string;
  readonly name?: string | undefined;
  readonly kind: string;
}
export interface HaSpace {
  readonly id: string;
  readonly name?: string | undefined;
  readonly type: string;
  readonly devices: readonly HaDevice[];
}
export interface HaSite {
  readonly id: string;
  readonly name: string;
  readonly spaces: readonly HaSpace[];
}

export interface HaDiscoveryInput {
  /** `mqtt.topicPrefix`: states, commands and availability live under it. */
  readonly prefix: string;
  /** The instance's availability topic; `<prefix>/status` when not given (a single instance). */
  readonly statusTopic?: string;
  /**
   * `instance.id` where several instances share the prefix: each has its own service device (its
   * release state and buttons); the spaces' entities stay under the prefix, as sites are disjoint.
   */
  readonly instanceId?: string;
  readonly discoveryPrefix: string;
  /** The mode select and the buttons exist only when their command topic is enabled. */
  readonly commandsEnabled: boolean;
  readonly sites: readonly HaSite[];
}

export type HaConfig = Readonly<Record<string, unknown>>;

export interface DiscoveryEntry {
  readonly topic: string;
  readonly component: HaComponent;
  readonly config: HaConfig;
}

export interface DiscoveryPlan {
  /** Configs to publish, retained. */
  readonly entries: readonly DiscoveryEntry[];
  /**
   * Topics of the other command variant (the select or the read-only mode sensor, the buttons):
   * cleared, so switching `commandsEnabled` leaves no stale entity behind.
   */
  readonly unused: readonly string[];
}

const MANUFACTURER = 'QuietWatt';

/** The service entities of a single instance (no `instance.id`): component and object id. */
const SINGLE_SERVICE_ENTITIES: readonly (readonly [HaComponent, string])[] = [
  ['binary_sensor', 'service_released'],
  ['button', 'service_release'],
  ['button', 'service_resume'],
];

/** Setpoint keys of a device's state: what its sensors read from the space's state JSON. */
export function setpointKeys(kind: string): readonly ('level_pct' | 'heat_c' | 'cool_c')[] {
  if (kind === 'lighting') return ['level_pct'];
  if (kind === 'hvac') return ['heat_c', 'cool_c'];
  return [];
}

export function discoveryPlan(input: HaDiscoveryInput): DiscoveryPlan {
  const node = discoveryNodeId(input.prefix);
  const instance = input.instanceId;
  const service = instance === undefined ? 'service' : `service_${instance}`;
  const serviceIdentifier = `${node}_${service}`;
  const common = {
    origin: { name: MANUFACTURER },
    availability_topic: input.statusTopic ?? `${input.prefix}/status`,
    payload_available: 'online',
    payload_not_available: 'offline',
  };
  const entries: DiscoveryEntry[] = [];
  const unused: string[] = [];
  const add = (component: HaComponent, objectId: string, config: HaConfig, used = true) => {
    const topic = discoveryTopic(input.discoveryPrefix, component, node, objectId);
    if (used)
      entries.push({ topic, component, config: { ...config, unique_id: `${node}_${objectId}`, ...common } });
    else unused.push(topic);
  };

  const serviceDevice = {
    identifiers: [serviceIdentifier],
    name: instance === undefined ? `QuietWatt ${input.prefix}` : `QuietWatt ${input.prefix} ${instance}`,
    manufacturer: MANUFACTURER,
    model: 'Energy savings service',
  };
  const serviceState = haServiceStateTopic(input.prefix, instance);
  add('binary_sensor', `${service}_released`, {
    name: 'Control released',
    device: serviceDevice,
    state_topic: serviceState,
    value_template: "{{ 'ON' if value_json.released else 'OFF' }}",
    icon: 'mdi:hand-back-left',
  });
  for (const action of ['release', 'resume'] as const) {
    add(
      'button',
      `${service}_${action}`,
      {
        name: action === 'release' ? 'Release all devices' : 'Resume control',
        device: serviceDevice,
        command_topic: haServiceCommandTopic(input.prefix, action, instance),
        payload_press: 'PRESS',
        qos: 1,
        retain: false,
      },
      input.commandsEnabled,
    );
  }

  // An instance among several clears the service entities a single instance on this prefix announced.
  if (instance !== undefined)
    for (const [component, objectId] of SINGLE_SERVICE_ENTITIES)
      unused.push(discoveryTopic(input.discoveryPrefix, component, node, objectId));

  for (const site of input.sites) {
    for (const space of site.spaces) {
      const base = `${site.id}_${space.id}`;
      const spaceName = space.name ?? space.id;
      const device = {
        identifiers: [`${node}_${base}`],
        name: `${site.name} ${spaceName}`,
        manufacturer: MANUFACTURER,
        model: `Shared space (${space.type})`,
        suggested_area: spaceName,
        via_device: serviceIdentifier,
      };
      const state_topic = haSpaceStateTopic(input.prefix, site.id, space.id);
      add('sensor', `${base}_energy`, {
        name: 'Energy',
        device,
        state_topic,
        value_template: '{{ value_json.energy_kwh }}',
        device_class: 'energy',
        state_class: 'total_increasing',
        unit_of_measurement: 'kWh',
        suggested_display_precision: 2,
      });
      // `total`, not `total_increasing`: savings are revised and may fall, which would read as a reset.
      add('sensor', `${base}_energy_saved`, {
        name: 'Energy saved',
        device,
        state_topic,
        value_template: '{{ value_json.saved_kwh }}',
        device_class: 'energy',
        state_class: 'total',
        unit_of_measurement: 'kWh',
        suggested_display_precision: 2,
      });
      const mode = { name: 'Mode', device, state_topic, value_template: '{{ value_json.mode }}' };
      add(
        'select',
        `${base}_mode`,
        {
          ...mode,
          options: [...SPACE_MODES],
          command_topic: haModeCommandTopic(input.prefix, site.id, space.id),
          qos: 1,
          retain: false,
        },
        input.commandsEnabled,
      );
      add(
        'sensor',
        `${base}_mode`,
        { ...mode, device_class: 'enum', options: [...SPACE_MODES] },
        !input.commandsEnabled,
      );
      add('binary_sensor', `${base}_alerts`, {
        name: 'Alerts',
        device,
        state_topic,
        value_template: "{{ 'ON' if value_json.alerts | length > 0 else 'OFF' }}",
        device_class: 'problem',
        json_attributes_topic: state_topic,
        json_attributes_template: "{{ {'alerts': value_json.alerts} | tojson }}",
      });
      for (const d of space.devices) {
        for (const key of setpointKeys(d.kind)) {
          const deviceName = d.name ?? d.id;
          const label = { level_pct: 'level', heat_c: 'heating setpoint', cool_c: 'cooling setpoint' }[key];
          add('sensor', `${base}_${d.id}_${key}`, {
            name: `${deviceName} ${label}`,
            device,
            state_topic,
            value_template: `{{ value_json.setpoints['${d.id}'].${key} }}`,
            unit_of_measurement: key === 'level_pct' ? '%' : '°C',
            ...(key === 'level_pct' ? {} : { device_class: 'temperature' }),
            state_class: 'measurement',
          });
        }
      }
    }
  }
  return { entries, unused };
}
