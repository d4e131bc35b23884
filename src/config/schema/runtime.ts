import { z } from 'zod';
import { SPACE_TYPES } from '../../domain/energy.js';
import { RETENTION_FLOORS, type RetentionPolicy } from '../../domain/retention/policy.js';
import { Topic } from './common.js';

/** A retention length, never below what the feature that reads those records needs. */
function retention(key: keyof RetentionPolicy, fallback: number, description: string) {
  const { min, why } = RETENTION_FLOORS[key];
  const unit = key === 'modelVersionsKept' ? 'versions' : 'days';
  return z.number().int().min(min, `at least ${min} ${unit}: ${why}`).default(fallback).meta({ description });
}

/** Scalar simulator parameters of a space type; anything left out keeps the built-in default. */
export const SimSpaceTypeParams = z
  .object({
    arrivalScale: z.number().min(0).optional().meta({ description: "Multiplies the type's arrival rates" }),
    dwellMinutes: z.number().positive().optional().meta({ description: 'Mean stay of a person, minutes' }),
    uaWPerKM2: z.number().positive().optional().meta({ description: 'Heat loss, W/K per m² of floor' }),
    capacityJPerKM2: z
      .number()
      .positive()
      .optional()
      .meta({ description: 'Effective heat capacity, J/K per m² of floor' }),
    occupantGainW: z.number().min(0).optional().meta({ description: 'Sensible heat per occupant, W' }),
    solarApertureM2PerM2: z
      .number()
      .min(0)
      .optional()
      .meta({ description: 'Effective solar aperture, m² per m² of floor' }),
    designLux: z
      .number()
      .positive()
      .optional()
      .meta({ description: 'Illuminance with all lighting at 100 %, lx' }),
    daylightFactor: z
      .number()
      .min(0)
      .max(1)
      .optional()
      .meta({ description: 'Indoor illuminance as a share of outdoor horizontal illuminance' }),
    plugBaseWPerM2: z.number().min(0).optional().meta({ description: 'Always-on plug load, W per m²' }),
    plugPerOccupantW: z.number().min(0).optional().meta({ description: 'Plug load per occupant, W' }),
  })
  .strict();
export type SimSpaceTypeParams = z.infer<typeof SimSpaceTypeParams>;

export const StorageConfig = z
  .object({
    dir: z.string().min(1).default('var/quietwatt').meta({
      text: true,
      description: 'Directory for the SQLite file and models, relative to the working directory',
    }),
    flushEverySeconds: z.number().int().min(1).max(60).default(2).meta({
      description:
        'Wall-clock seconds between writes of held meter readings and sensor samples (the write-ahead inbox keeps them durable meanwhile); longer means fewer, larger transactions at high message rates (docs/scaling.md); above 2 s, also once a quarter second passes without a message. Simulated clocks write once a simulated minute',
    }),
    rawRetentionDays: retention(
      'rawRetentionDays',
      35,
      'Raw meter readings older than this many days are pruned',
    ),
    sensorSampleRetentionDays: retention(
      'sensorSampleRetentionDays',
      35,
      'Raw sensor samples older than this many days are pruned (their 15-minute aggregates are kept)',
    ),
    auditRetentionDays: retention(
      'auditRetentionDays',
      400,
      "Setpoint audit entries older than this many days are pruned (each device's latest are kept)",
    ),
    alertRetentionDays: retention(
      'alertRetentionDays',
      180,
      'Alerts cleared more than this many days ago are pruned',
    ),
    commandRetentionDays: retention(
      'commandRetentionDays',
      400,
      'Operator commands answered more than this many days ago are pruned',
    ),
    modelVersionsKept: retention(
      'modelVersionsKept',
      10,
      'Newest versions kept of each fitted model; a baseline version a savings figure names is always kept',
    ),
  })
  .strict()
  .meta({
    description:
      'Storage and retention, pruned hourly in small batches; intervals, sensor aggregates and the savings ledger are kept',
  });
export type StorageConfig = z.infer<typeof StorageConfig>;

export const ClockConfig = z
  .object({
    source: z.enum(['system', 'accelerated', 'mqtt']).default('system').meta({
      description:
        'system: wall-clock time; accelerated: simulated time running `speed` times faster; mqtt: simulated time published by an external test bench, in lockstep (docs/mqtt-contract.md)',
    }),
    speed: z
      .number()
      .positive()
      .max(100_000)
      .default(1)
      .meta({ description: 'Simulated seconds per real second (accelerated)' }),
    start: z.iso.datetime({ offset: true }).optional().meta({
      text: true,
      description:
        'Simulated start instant (ISO-8601 with offset): for accelerated time (now when absent), and required for the mqtt clock (time steps before it are refused)',
    }),
    topic: Topic.optional().meta({
      description: 'mqtt clock: topic the bench publishes time steps on; acknowledgements go to <topic>/ack',
    }),
    fastForward: z
      .object({
        days: z.number().int().min(1).max(120).meta({
          description:
            'Simulated days replayed as fast as the machine allows on a first start with an empty store, ending now; then time runs at `speed`',
        }),
        shadowDays: z.number().int().min(0).default(0).meta({
          description:
            'Of those, the first days run with every space in shadow mode; then the configured modes apply, as after a reload',
        }),
        stepMinutes: z.number().int().min(1).max(60).default(15).meta({
          description: 'Simulated minutes per replay step (the event loop is yielded between steps)',
        }),
      })
      .strict()
      .optional()
      .meta({
        description:
          'accelerated clock: replay some days first so a demo has history (absent by default; the demo config replays 16 days; about 5 s of wall time per simulated day on a 2-core machine)',
      }),
  })
  .strict()
  .refine((clock) => !clock.fastForward || clock.fastForward.shadowDays < clock.fastForward.days, {
    message: 'clock.fastForward.shadowDays must be fewer than its days',
    path: ['fastForward', 'shadowDays'],
  })
  .refine((clock) => clock.source !== 'mqtt' || clock.topic !== undefined, {
    message: 'clock.source mqtt needs clock.topic, the topic the test bench publishes time on',
    path: ['topic'],
  })
  .refine((clock) => clock.source !== 'mqtt' || clock.start !== undefined, {
    message: "clock.source mqtt needs clock.start, the bench's first simulated instant",
    path: ['start'],
  });
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
    controllers: z.boolean().default(true).meta({
      description:
        "The simulator also plays the controllers: it obeys setpoints on the devices' command topics and publishes state reports",
    }),
    overrides: z
      .object({
        perDevicePerDay: z.number().min(0).max(96).default(0.3).meta({
          description:
            'Mean manual overrides per overridable device per day, taken only while someone is present',
        }),
        meanMinutes: z
          .number()
          .positive()
          .max(1440)
          .default(45)
          .meta({ description: 'Mean duration of a manual override, minutes (exponential)' }),
        spaceTypes: z.array(z.enum(SPACE_TYPES)).default(['gym', 'clubhouse']).meta({
          description: 'Space types whose lights and HVAC residents can reach (wall switch, thermostat)',
        }),
        lightLevelPct: z
          .number()
          .min(0)
          .max(100)
          .default(100)
          .meta({ description: 'Level a resident switches the lights to' }),
        coolSetpointC: z.number().min(5).max(35).default(24).meta({
          description: 'Cooling setpoint a resident picks (outdoor at or above coolAboveC)',
        }),
        heatSetpointC: z.number().min(5).max(35).default(22).meta({
          description: 'Heating setpoint a resident picks (outdoor at or below heatBelowC)',
        }),
        coolAboveC: z
          .number()
          .default(22)
          .meta({ description: 'Outdoor temperature from which residents cool, °C' }),
        heatBelowC: z
          .number()
          .default(14)
          .meta({ description: 'Outdoor temperature below which residents heat, °C' }),
      })
      .strict()
      .prefault({})
      .meta({ description: 'Residents taking manual control of a device now and then (closed loop)' }),
    spaceTypes: z
      .partialRecord(z.enum(SPACE_TYPES), SimSpaceTypeParams)
      .default({})
      .meta({ description: 'Per-space-type simulator parameters (override the built-in defaults)' }),
  })
  .strict();
export type SimulatorConfig = z.infer<typeof SimulatorConfig>;
