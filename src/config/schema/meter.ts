import { z } from 'zod';
import { END_USES } from '../../domain/energy.js';
import { Id, TimeZone, Topic } from './common.js';

export const PAYLOAD_FORMATS = ['json', 'number', 'tasmota', 'shelly-gen2', 'zigbee2mqtt'] as const;
export type PayloadFormat = (typeof PAYLOAD_FORMATS)[number];

export const METER_VALUES = ['cumulative', 'power'] as const;
export type MeterValue = (typeof METER_VALUES)[number];

export const MeterConfig = z
  .object({
    id: Id.meta({
      idOf: 'meter',
      description: 'Meter id, unique across meters, sensors and devices of the whole config',
    }),
    name: z.string().min(1).optional().meta({ text: true, description: 'Human-readable name' }),
    topic: Topic.meta({
      description:
        'MQTT topic the meter publishes on, e.g. tele/lobby-meter/SENSOR; unique among meters and sensors',
    }),
    format: z
      .enum(PAYLOAD_FORMATS)
      .default('json')
      .meta({ description: 'Payload format: generic json, a bare number, or a preset for a common meter' }),
    measures: z.enum(END_USES).meta({ description: 'What the meter measures within its space' }),
    value: z.enum(METER_VALUES).default('cumulative').meta({
      description:
        'cumulative: energy comes from differencing the register; power: energy is integrated from power readings',
    }),
    multiplier: z.number().positive().default(1).meta({
      description: 'Unit multiplier applied to energy and power (e.g. a CT ratio, or 0.001 for Wh)',
    }),
    timezone: TimeZone.optional().meta({
      description: 'Time zone of timestamps without an offset; defaults to the site time zone',
    }),
    maxGapMinutes: z
      .number()
      .positive()
      .default(60)
      .meta({ description: 'A gap between readings longer than this is marked missing, never zero' }),
    maxPowerW: z
      .number()
      .positive()
      .default(200_000)
      .meta({ description: 'Readings implying more power than this are rejected as absurd' }),
    rolloverKWh: z
      .number()
      .positive()
      .optional()
      .meta({ description: 'Value at which the register wraps to zero (e.g. 99999.9), if it does' }),
  })
  .strict();
export type MeterConfig = z.infer<typeof MeterConfig>;
