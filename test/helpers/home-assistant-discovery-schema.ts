/**
 * Home Assistant's documented MQTT discovery schema, as zod, for the components QuietWatt uses.
 * Keys and required fields as documented on home-assistant.io: integrations/sensor.mqtt,
 * binary_sensor.mqtt, select.mqtt, button.mqtt, the MQTT discovery page (device and origin blocks,
 * availability) and the sensor entity's device classes and state classes. Every object is strict:
 * a key the documentation does not list fails. Only full key names are accepted; QuietWatt uses
 * no abbreviations (`stat_t`, `cmd_t`, …).
 */
import { z } from 'zod';

const Template = z.string().min(1);
const Topic = z
  .string()
  .min(1)
  .refine((t) => !t.includes('+') && !t.includes('#'), 'a topic without wildcards');

/** The `device` block: at least one of identifiers or connections. */
export const HaDeviceBlock = z
  .object({
    configuration_url: z.string().optional(),
    connections: z.array(z.tuple([z.string(), z.string()])).optional(),
    hw_version: z.string().optional(),
    identifiers: z.union([z.string(), z.array(z.string()).min(1)]).optional(),
    manufacturer: z.string().optional(),
    model: z.string().optional(),
    model_id: z.string().optional(),
    name: z.string().optional(),
    serial_number: z.string().optional(),
    suggested_area: z.string().optional(),
    sw_version: z.string().optional(),
    via_device: z.string().optional(),
  })
  .strict()
  .refine((d) => d.identifiers !== undefined || d.connections !== undefined, {
    message: 'a device needs identifiers or connections',
  });

/** The `origin` block: `name` is required. */
export const HaOriginBlock = z
  .object({ name: z.string().min(1), sw_version: z.string().optional(), support_url: z.string().optional() })
  .strict();

const AvailabilityItem = z
  .object({
    topic: Topic,
    payload_available: z.string().optional(),
    payload_not_available: z.string().optional(),
    value_template: Template.optional(),
  })
  .strict();

/** Keys every MQTT entity documents (availability, device, naming, attributes, QoS). */
const entityKeys = {
  availability: z.array(AvailabilityItem).optional(),
  availability_mode: z.enum(['all', 'any', 'latest']).optional(),
  availability_template: Template.optional(),
  availability_topic: Topic.optional(),
  default_entity_id: z.string().optional(),
  device: HaDeviceBlock.optional(),
  enabled_by_default: z.boolean().optional(),
  encoding: z.string().optional(),
  entity_category: z.enum(['config', 'diagnostic']).optional(),
  entity_picture: z.string().optional(),
  icon: z.string().optional(),
  json_attributes_template: Template.optional(),
  json_attributes_topic: Topic.optional(),
  name: z.string().nullable().optional(),
  object_id: z.string().optional(),
  origin: HaOriginBlock.optional(),
  payload_available: z.string().optional(),
  payload_not_available: z.string().optional(),
  qos: z.union([z.literal(0), z.literal(1), z.literal(2)]).optional(),
  unique_id: z.string().min(1).optional(),
};

interface EntityCommon {
  readonly availability?: unknown;
  readonly availability_topic?: string | undefined;
  readonly device?: unknown;
  readonly unique_id?: string | undefined;
}

/** Documented constraints that span keys, shared by every component. */
function entityRules(e: EntityCommon, ctx: z.core.$RefinementCtx<unknown>): void {
  if (e.availability !== undefined && e.availability_topic !== undefined)
    ctx.addIssue({
      code: 'custom',
      message: 'availability and availability_topic must not be used together',
    });
  if (e.device !== undefined && e.unique_id === undefined)
    ctx.addIssue({ code: 'custom', message: 'device information needs a unique_id' });
}

/** Units the energy device class accepts (sensor entity documentation). */
const ENERGY_UNITS = [
  'J',
  'kJ',
  'MJ',
  'GJ',
  'mWh',
  'Wh',
  'kWh',
  'MWh',
  'GWh',
  'TWh',
  'cal',
  'kcal',
  'Mcal',
  'Gcal',
];

export const HaSensorConfig = z
  .object({
    ...entityKeys,
    device_class: z.string().optional(),
    expire_after: z.number().int().positive().optional(),
    force_update: z.boolean().optional(),
    last_reset_value_template: Template.optional(),
    options: z.array(z.string()).min(1).optional(),
    suggested_display_precision: z.number().int().min(0).optional(),
    state_class: z.enum(['measurement', 'measurement_angle', 'total', 'total_increasing']).optional(),
    state_topic: Topic,
    unit_of_measurement: z.string().optional(),
    value_template: Template.optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    entityRules(s, ctx);
    if ((s.options !== undefined) !== (s.device_class === 'enum'))
      ctx.addIssue({ code: 'custom', message: 'options go with device_class enum, and only with it' });
    if (s.device_class === 'energy') {
      if (s.state_class !== 'total' && s.state_class !== 'total_increasing')
        ctx.addIssue({ code: 'custom', message: 'an energy sensor is total or total_increasing' });
      if (s.unit_of_measurement === undefined || !ENERGY_UNITS.includes(s.unit_of_measurement))
        ctx.addIssue({ code: 'custom', message: 'an energy sensor needs an energy unit' });
    }
    if (s.device_class === 'temperature' && !['°C', '°F', 'K'].includes(s.unit_of_measurement ?? ''))
      ctx.addIssue({ code: 'custom', message: 'a temperature sensor needs °C, °F or K' });
  });

export const HaBinarySensorConfig = z
  .object({
    ...entityKeys,
    device_class: z.string().optional(),
    expire_after: z.number().int().positive().optional(),
    force_update: z.boolean().optional(),
    off_delay: z.number().int().positive().optional(),
    payload_off: z.string().optional(),
    payload_on: z.string().optional(),
    state_topic: Topic,
    value_template: Template.optional(),
  })
  .strict()
  .superRefine(entityRules);

export const HaSelectConfig = z
  .object({
    ...entityKeys,
    command_template: Template.optional(),
    command_topic: Topic,
    optimistic: z.boolean().optional(),
    options: z.array(z.string()).min(1),
    retain: z.boolean().optional(),
    state_topic: Topic.optional(),
    value_template: Template.optional(),
  })
  .strict()
  .superRefine(entityRules);

export const HaButtonConfig = z
  .object({
    ...entityKeys,
    command_template: Template.optional(),
    command_topic: Topic,
    device_class: z.enum(['identify', 'restart', 'update']).optional(),
    payload_press: z.string().optional(),
    retain: z.boolean().optional(),
  })
  .strict()
  .superRefine(entityRules);

export const HA_DISCOVERY_SCHEMAS = {
  sensor: HaSensorConfig,
  binary_sensor: HaBinarySensorConfig,
  select: HaSelectConfig,
  button: HaButtonConfig,
} as const;

/** `<discovery_prefix>/<component>/[<node_id>/]<object_id>/config`; ids are `[a-zA-Z0-9_-]`. */
export function parseDiscoveryTopic(
  discoveryPrefix: string,
  topic: string,
): { component: keyof typeof HA_DISCOVERY_SCHEMAS; nodeId: string; objectId: string } | undefined {
  if (!topic.startsWith(`${discoveryPrefix}/`)) return undefined;
  const m = /^([a-z_]+)\/([a-zA-Z0-9_-]+)\/([a-zA-Z0-9_-]+)\/config$/.exec(
    topic.slice(discoveryPrefix.length + 1),
  );
  const component = m?.[1];
  if (!m || !component || !(component in HA_DISCOVERY_SCHEMAS)) return undefined;
  return {
    component: component as keyof typeof HA_DISCOVERY_SCHEMAS,
    nodeId: m[2] as string,
    objectId: m[3] as string,
  };
}

/**
 * What the Energy dashboard takes as an individual device's consumption: an energy sensor in an
 * energy unit, `total_increasing` (or `total`), with a unique id so it has statistics.
 */
export function isEnergyDashboardConsumption(config: z.infer<typeof HaSensorConfig>): boolean {
  return (
    config.device_class === 'energy' &&
    (config.state_class === 'total_increasing' || config.state_class === 'total') &&
    config.unit_of_measurement !== undefined &&
    ENERGY_UNITS.includes(config.unit_of_measurement) &&
    config.unique_id !== undefined
  );
}
