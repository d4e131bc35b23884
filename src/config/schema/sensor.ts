import { z } from 'zod';
import { Id, Topic } from './common.js';

export const SENSOR_KINDS = [
  'occupancy',
  'indoor-temperature',
  'outdoor-temperature',
  'illuminance',
] as const;

export const SensorConfig = z
  .object({
    id: Id,
    kind: z.enum(SENSOR_KINDS),
    topic: Topic,
    format: z
      .enum(['json', 'number', 'zigbee2mqtt'])
      .default('json')
      .meta({
        description:
          'json: {"ts", "value"}; number: a bare value; zigbee2mqtt: occupancy/temperature/illuminance',
      }),
    staleAfterMinutes: z.number().positive().optional().meta({
      description:
        'Silence after which the sensor counts as stale. Motion sensors report only on change, so their default is long',
    }),
  })
  .strict();
export type SensorConfig = z.infer<typeof SensorConfig>;
