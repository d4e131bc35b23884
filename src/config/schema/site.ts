import { z } from 'zod';
import { SPACE_TYPES } from '../../domain/energy.js';
import { Id, TimeZone, Topic } from './common.js';
import { DeviceConfig } from './device.js';
import { MeterConfig } from './meter.js';
import { SensorConfig } from './sensor.js';

export const SpaceConfig = z
  .object({
    id: Id.meta({ description: 'Space id, unique within its site' }),
    name: z.string().min(1).optional(),
    type: z.enum(SPACE_TYPES).meta({ description: 'Kind of shared space' }),
    areaM2: z.number().positive().meta({ description: 'Floor area, m²' }),
    meters: z.array(MeterConfig).default([]),
    sensors: z.array(SensorConfig).default([]),
    devices: z.array(DeviceConfig).default([]),
  })
  .strict();
export type SpaceConfig = z.infer<typeof SpaceConfig>;

export const SiteConfig = z
  .object({
    id: Id,
    name: z.string().min(1),
    timezone: TimeZone,
    latitude: z.number().min(-90).max(90).optional(),
    longitude: z.number().min(-180).max(180).optional(),
    outdoorTemperatureTopic: Topic.optional().meta({
      description: 'Topic of the site outdoor temperature (°C)',
    }),
    spaces: z.array(SpaceConfig).min(1),
  })
  .strict();
export type SiteConfig = z.infer<typeof SiteConfig>;
