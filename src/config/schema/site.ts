import { z } from 'zod';
import { SPACE_TYPES } from '../../domain/energy.js';
import { Id, TimeZone, Topic } from './common.js';
import { DeviceConfig } from './device.js';
import { MeterConfig } from './meter.js';
import { SENSOR_FORMATS, SensorConfig } from './sensor.js';

export const SpaceConfig = z
  .object({
    id: Id.meta({ idOf: 'space', description: 'Space id, unique within its site' }),
    name: z.string().min(1).optional().meta({ text: true, description: 'Human-readable name' }),
    type: z.enum(SPACE_TYPES).meta({ description: 'Kind of shared space' }),
    areaM2: z.number().positive().meta({ description: 'Floor area, m²' }),
    meters: z.array(MeterConfig).default([]).meta({ description: 'Energy meters in this space' }),
    sensors: z.array(SensorConfig).default([]).meta({ description: 'Sensors in this space' }),
    devices: z
      .array(DeviceConfig)
      .default([])
      .meta({ description: 'Controllable and life-safety equipment' }),
  })
  .strict();
export type SpaceConfig = z.infer<typeof SpaceConfig>;

export const SiteConfig = z
  .object({
    id: Id.meta({ idOf: 'site', description: 'Site id, unique among sites' }),
    name: z.string().min(1).meta({ text: true, description: 'Human-readable name of the community' }),
    timezone: TimeZone,
    meterReadingDay: z.number().int().min(1).max(28).default(1).meta({
      description: 'Day of the month the meters are read; a monthly report runs from it to the next',
    }),
    latitude: z.number().min(-90).max(90).optional().meta({ description: 'Latitude, degrees north' }),
    longitude: z.number().min(-180).max(180).optional().meta({ description: 'Longitude, degrees east' }),
    outdoorTemperatureTopic: Topic.optional().meta({
      description: 'Topic of the site outdoor temperature (°C)',
    }),
    outdoorTemperatureFormat: z
      .enum(SENSOR_FORMATS)
      .default('json')
      .meta({ description: 'Payload format of the outdoor temperature topic (as for sensors)' }),
    outdoorForecastTopic: Topic.optional().meta({
      description:
        'Topic of an hourly outdoor temperature forecast (docs/mqtt-contract.md#outdoor-temperature-forecast); without it, forecasts learn from the outdoor sensor history',
    }),
    outdoorForecastMaxAgeHours: z.number().positive().max(72).default(6).meta({
      description:
        'A published forecast older than this (by its issuedAt) is stale: the sensor-history forecast is used instead, hours',
    }),
    spaces: z.array(SpaceConfig).min(1).meta({ description: 'Shared spaces of the site' }),
  })
  .strict();
export type SiteConfig = z.infer<typeof SiteConfig>;
