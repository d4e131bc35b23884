import { z } from 'zod';
import { Id, Topic } from './common.js';

export const SENSOR_KINDS = [
  'occupancy',
  'indoor-temperature',
  'outdoor-temperature',
  'illuminance',
] as const;
export type SensorKind = (typeof SENSOR_KINDS)[number];

export const SENSOR_FORMATS = ['json', 'number', 'zigbee2mqtt'] as const;
export type SensorFormat = (typeof SENSOR_FORMATS)[number];

export const SensorConfig = z
  .object({
    id: Id.meta({
      idOf: 'sensor',
      description: 'Sensor id, unique across meters, sensors and devices of the whole config',
    }),
    kind: z.enum(SENSOR_KINDS).meta({
      description: 'occupancy (0/1 or a people count), indoor/outdoor temperature (°C), illuminance (lx)',
    }),
    topic: Topic.meta({
      description:
        'MQTT topic the sensor publishes on; one multi-sensor may serve several kinds on the same topic',
    }),
    format: z.enum(SENSOR_FORMATS).default('json').meta({
      description:
        'json: {"ts", "value"}; number: a bare value; zigbee2mqtt: occupancy/temperature/illuminance fields',
    }),
    staleAfterMinutes: z.number().positive().optional().meta({
      description:
        'Silence after which the sensor counts as stale. Motion sensors report only on change, so their default is long',
    }),
  })
  .strict();
export type SensorConfig = z.infer<typeof SensorConfig>;
