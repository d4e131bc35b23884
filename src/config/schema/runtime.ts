import { z } from 'zod';

export const StorageConfig = z
  .object({
    dir: z
      .string()
      .min(1)
      .default('var/quietwatt')
      .meta({ description: 'Directory for the SQLite file and models, relative to the working directory' }),
    rawRetentionDays: z
      .number()
      .int()
      .min(1)
      .default(35)
      .meta({ description: 'Raw readings older than this are pruned' }),
  })
  .strict();
export type StorageConfig = z.infer<typeof StorageConfig>;

export const ClockConfig = z
  .object({
    source: z.enum(['system', 'accelerated']).default('system').meta({
      description: 'system: wall-clock time; accelerated: simulated time running `speed` times faster',
    }),
    speed: z
      .number()
      .positive()
      .max(100_000)
      .default(1)
      .meta({ description: 'Simulated seconds per real second (accelerated)' }),
    start: z.iso.datetime({ offset: true }).optional().meta({
      description: 'Simulated start instant (ISO-8601 with offset) for accelerated time; now when absent',
    }),
  })
  .strict();
export type ClockConfig = z.infer<typeof ClockConfig>;

export const SimulatorConfig = z
  .object({
    enabled: z.boolean().default(false).meta({ description: 'Run the built-in community simulator' }),
    seed: z.number().int().default(1).meta({ description: 'Seed of the simulator random generator' }),
    publishEverySeconds: z
      .number()
      .positive()
      .default(60)
      .meta({ description: 'Simulated seconds between readings' }),
    stepSeconds: z
      .number()
      .int()
      .min(1)
      .max(900)
      .default(60)
      .meta({ description: 'Simulated seconds per physics step; results do not depend on the clock speed' }),
    qos: z
      .union([z.literal(0), z.literal(1)])
      .default(0)
      .meta({ description: 'QoS of simulated meter and sensor messages (real meters mostly publish at 0)' }),
    holidays: z
      .enum(['auto', 'china', 'none'])
      .default('auto')
      .meta({ description: "Calendar of rest days: 'auto' uses China's holidays for Chinese time zones" }),
    occupancyScale: z
      .number()
      .positive()
      .default(1)
      .meta({ description: 'Multiplies every arrival rate (1 = a community of about 300 households)' }),
    burnInHours: z
      .number()
      .min(0)
      .max(336)
      .default(48)
      .meta({ description: 'Simulated hours run silently before the start, so temperatures are settled' }),
    maxCatchUpHours: z
      .number()
      .positive()
      .default(24)
      .meta({ description: 'A clock jump longer than this is simulated without publishing the backlog' }),
    climate: z
      .object({
        monthlyMeanC: z.array(z.number()).length(12).optional().meta({
          description: 'Monthly mean outdoor temperature, °C, January first; Shanghai normals when absent',
        }),
        monthlyCloudCover: z.array(z.number().min(0).max(1)).length(12).optional().meta({
          description: 'Monthly mean cloud cover 0..1, January first',
        }),
        diurnalRangeC: z
          .number()
          .positive()
          .optional()
          .meta({ description: 'Mean daily temperature range, K' }),
        anomalyStdC: z
          .number()
          .min(0)
          .optional()
          .meta({ description: 'Day-to-day weather anomaly, K (std)' }),
      })
      .strict()
      .default({})
      .meta({ description: 'Simulated climate; the default is Shanghai-like' }),
  })
  .strict();
export type SimulatorConfig = z.infer<typeof SimulatorConfig>;
