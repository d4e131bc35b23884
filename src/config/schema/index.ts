import { z } from 'zod';
import { MqttConfig } from './mqtt.js';
import { ScheduleConfig } from './schedule.js';
import { SiteConfig } from './site.js';

export const StorageConfig = z
  .object({
    dir: z
      .string()
      .min(1)
      .default('var/quietwatt')
      .meta({ description: 'Directory for the SQLite file and models' }),
    rawRetentionDays: z
      .number()
      .int()
      .min(1)
      .default(35)
      .meta({ description: 'Raw readings older than this are pruned' }),
  })
  .strict();

export const ClockConfig = z
  .object({
    source: z
      .enum(['system', 'accelerated'])
      .default('system')
      .meta({
        description: 'system: wall-clock time; accelerated: simulated time running `speed` times faster',
      }),
    speed: z
      .number()
      .positive()
      .default(1)
      .meta({ description: 'Simulated seconds per real second (accelerated)' }),
  })
  .strict();

export const SimulatorConfig = z
  .object({
    enabled: z.boolean().default(false).meta({ description: 'Run the built-in community simulator' }),
    seed: z.number().int().default(1),
    publishEverySeconds: z
      .number()
      .positive()
      .default(60)
      .meta({ description: 'Simulated seconds between readings' }),
  })
  .strict();

export const QuietWattConfig = z
  .object({
    mqtt: MqttConfig.prefault({}),
    storage: StorageConfig.prefault({}),
    clock: ClockConfig.prefault({}),
    simulator: SimulatorConfig.prefault({}),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
    schedules: z.array(ScheduleConfig).default([]),
    sites: z.array(SiteConfig).min(1),
  })
  .strict();
export type QuietWattConfig = z.infer<typeof QuietWattConfig>;
