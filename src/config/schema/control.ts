import { z } from 'zod';
import { SPACE_MODES } from '../../domain/control/space-mode.js';
import { SPACE_TYPES } from '../../domain/energy.js';
import { Id, Topic } from './common.js';
import { HVAC_MODES } from './schedule.js';

/**
 * Setpoint limits for HVAC. Defaults follow China's rule for public spaces: cooling setpoints
 * not below 26 °C, heating setpoints not above 20 °C.
 */
export const ComfortBand = z
  .object({
    coolSetpointMinC: z
      .number()
      .min(5)
      .max(35)
      .default(26)
      .meta({ description: 'Lowest cooling setpoint ever sent, °C (China public spaces: 26)' }),
    coolSetpointMaxC: z
      .number()
      .min(5)
      .max(35)
      .default(30)
      .meta({ description: 'Highest cooling setpoint (unoccupied setback limit), °C' }),
    heatSetpointMaxC: z
      .number()
      .min(5)
      .max(35)
      .default(20)
      .meta({ description: 'Highest heating setpoint ever sent, °C (China public spaces: 20)' }),
    heatSetpointMinC: z
      .number()
      .min(5)
      .max(35)
      .default(14)
      .meta({ description: 'Lowest heating setpoint (unoccupied setback limit), °C' }),
    comfortLowC: z
      .number()
      .min(5)
      .max(35)
      .default(18)
      .meta({ description: 'Occupied comfort band, lower edge, °C (discomfort is measured outside it)' }),
    comfortHighC: z
      .number()
      .min(5)
      .max(35)
      .default(28)
      .meta({ description: 'Occupied comfort band, upper edge, °C' }),
  })
  .strict()
  .refine((b) => b.heatSetpointMinC <= b.heatSetpointMaxC, {
    message: 'heatSetpointMinC must not exceed heatSetpointMaxC',
    path: ['heatSetpointMinC'],
  })
  .refine((b) => b.coolSetpointMinC <= b.coolSetpointMaxC, {
    message: 'coolSetpointMinC must not exceed coolSetpointMaxC',
    path: ['coolSetpointMinC'],
  })
  .refine((b) => b.heatSetpointMaxC < b.coolSetpointMinC, {
    message: 'heatSetpointMaxC must be below coolSetpointMinC (auto mode needs a dead band)',
    path: ['heatSetpointMaxC'],
  })
  .refine((b) => b.comfortLowC < b.comfortHighC, {
    message: 'comfortLowC must be below comfortHighC',
    path: ['comfortLowC'],
  });
export type ComfortBand = z.infer<typeof ComfortBand>;

/** Per-space-type overrides; anything left out takes the built-in default for that type. */
export const SpaceTypeControl = z
  .object({
    safetyMinLevelPct: z.number().min(0).max(100).optional().meta({
      description: 'Light level never gone below, at any time (garages, stairwells, corridors), %',
    }),
    occupiedLevelPct: z
      .number()
      .min(0)
      .max(100)
      .optional()
      .meta({ description: 'Light level the space needs while occupied, %' }),
    presenceHoldMinutes: z.number().positive().max(120).optional().meta({
      description:
        'After the last presence report the lights stay at the occupied level this long, minutes (short where people pass through, longer where they sit still)',
    }),
    comfort: ComfortBand.optional().meta({ description: 'HVAC limits for this space type' }),
  })
  .strict();
export type SpaceTypeControl = z.infer<typeof SpaceTypeControl>;

export const STALE_INPUT_KINDS = [
  'meter',
  'occupancy',
  'indoor-temperature',
  'outdoor-temperature',
  'illuminance',
] as const;
export type StaleInputKind = (typeof STALE_INPUT_KINDS)[number];

export const StaleThresholds = z
  .object({
    meter: z.number().positive().default(30),
    // Motion sensors report only on change: a quiet night is not a dead sensor.
    occupancy: z.number().positive().default(720),
    'indoor-temperature': z.number().positive().default(30),
    'outdoor-temperature': z.number().positive().default(90),
    illuminance: z.number().positive().default(30),
  })
  .strict()
  .meta({ description: 'Minutes of silence after which an input counts as stale, per kind' });

export const SpaceModeEntry = z
  .object({
    site: Id.optional().meta({ ref: 'site', description: 'Site id; any site when absent' }),
    space: Id.meta({ ref: 'space', scopedBy: 'site', description: 'Space id (of `site` when given)' }),
    mode: z.enum(SPACE_MODES).meta({ description: 'Mode of the space' }),
  })
  .strict();

export const ControlConfig = z
  .object({
    defaultMode: z.enum(SPACE_MODES).default('shadow').meta({
      description:
        'Mode of spaces not listed in `spaces`: off (nothing), shadow (compute and log, publish nothing), active',
    }),
    spaces: z.array(SpaceModeEntry).default([]).meta({ description: 'Per-space mode' }),
    requireCommissioning: z.boolean().default(true).meta({
      description: 'A device publishes in an active space only after its commissioning check passed',
    }),
    comfort: ComfortBand.prefault({}).meta({ description: 'HVAC limits for every space type' }),
    spaceTypes: z
      .partialRecord(z.enum(SPACE_TYPES), SpaceTypeControl)
      .default({})
      .meta({ description: 'Per-space-type light levels and HVAC limits (override the defaults)' }),
    leaseMaxMinutes: z
      .number()
      .positive()
      .max(24 * 60)
      .default(30)
      .meta({ description: 'Longest lease: validUntil - issuedAt never exceeds it' }),
    leaseRenewBeforeSeconds: z
      .number()
      .min(0)
      .default(120)
      .meta({ description: 'A lease is re-issued this long before it expires while the plan holds' }),
    hvacPeakLimitKW: z.number().positive().optional().meta({
      description:
        'Community peak limit: at every plan the summed rated power of running HVAC units across the spaces of a site stays at or below it, kW (none by default)',
    }),
    hvacPreStartBeforeScheduleMinutes: z.number().min(0).max(180).default(15).meta({
      description:
        "How long before a schedule's own start optimal start may condition a space, minutes. The schedule's hours are the hours the property conditions today: starting long before them buys comfort the schedule never gave with energy it never spent, while one plan step (15 min) makes up for what QuietWatt's dimmer lights and coasting take from a space overnight",
    }),
    predictiveHvac: z
      .object({
        enabled: z.boolean().default(true).meta({
          description:
            'Plan HVAC by a linear program over the next 24 h (the learned thermal model, the occupancy and outdoor forecasts, the tariff) in spaces with an indoor temperature sensor; the rules plan the rest, and any space whose program fails in a round',
        }),
        timeLimitMs: z.number().int().min(100).max(120_000).default(20_000).meta({
          description:
            "Compute time one plan round's programs may take together, ms; spaces not solved by then keep the rules' plan for that round",
        }),
      })
      .prefault({})
      .meta({ description: 'The predictive HVAC planner' }),
    lightingDecreasePctPerMinute: z.number().positive().default(10).meta({
      description: 'Fastest dimming, %/min; increases are immediate (presence cannot wait)',
    }),
    hvacSetpointChangeCPerMinute: z
      .number()
      .positive()
      .default(0.5)
      .meta({ description: 'Fastest HVAC setpoint change within one mode, K/min' }),
    hvacMinModeChangeMinutes: z.number().min(0).default(10).meta({
      description: 'Minimum time between HVAC mode changes QuietWatt commands (compressor protection)',
    }),
    overrideHoldMinutes: z
      .number()
      .min(0)
      .default(120)
      .meta({ description: 'A device under manual override is left alone this long' }),
    ackTimeoutSeconds: z
      .number()
      .positive()
      .default(60)
      .meta({ description: 'A setpoint not echoed in a state report within this time is unacknowledged' }),
    staleAfterMinutes: StaleThresholds.prefault({}),
    fireAlarm: z
      .object({
        topic: Topic.optional().meta({
          description: 'Fire-alarm input; an active payload releases every device',
        }),
        activePayloads: z
          .array(z.string().meta({ text: true }))
          .min(1)
          .default(['1', 'ON', 'on', 'true', 'ALARM', 'alarm'])
          .meta({ description: 'Payloads meaning "alarm active"' }),
        clearPayloads: z
          .array(z.string().meta({ text: true }))
          .min(1)
          .default(['0', 'OFF', 'off', 'false', 'CLEAR', 'clear', 'NORMAL', 'normal'])
          .meta({
            description:
              'Payloads meaning "all clear"; a payload in neither list is logged and ignored (never read as clear)',
          }),
      })
      .strict()
      .superRefine((f, ctx) => {
        for (const word of f.clearPayloads.filter((w) => f.activePayloads.includes(w)))
          ctx.addIssue({
            code: 'custom',
            message: `"${word}" is in both activePayloads and clearPayloads; a payload must mean one thing`,
            path: ['clearPayloads'],
          });
      })
      .prefault({}),
  })
  .strict();
export type ControlConfig = z.infer<typeof ControlConfig>;

// ---- per-device options, wired into DeviceConfig as optional fields ----

export const FAN_SPEEDS = ['auto', 'low', 'medium', 'high'] as const;

export const DeviceOutputOptions = z
  .object({
    qos: z
      .union([z.literal(0), z.literal(1), z.literal(2)])
      .default(1)
      .meta({ description: 'QoS of the commands' }),
    retainNative: z.boolean().default(true).meta({
      description: 'Retain native-contract setpoints (preset commands are never retained)',
    }),
    levelStepPct: z
      .number()
      .positive()
      .max(100)
      .default(1)
      .meta({ description: 'Native contract: level resolution, %' }),
    setpointStepC: z
      .number()
      .positive()
      .max(5)
      .default(0.5)
      .meta({ description: 'Native contract and Home Assistant climate: setpoint resolution, °C' }),
    tasmotaChannel: z
      .enum(['dimmer', 'relay'])
      .default('dimmer')
      .meta({ description: 'Tasmota: Dimmer (0-100) or a plain relay (POWER ON/OFF)' }),
    tasmotaRelay: z
      .number()
      .int()
      .min(1)
      .max(32)
      .optional()
      .meta({ description: 'Tasmota: relay index n for POWER<n> and PulseTime<n>; POWER when absent' }),
    tasmotaSafetyTimer: z.boolean().default(false).meta({
      description:
        'Tasmota: use PulseTime so the light switches off by itself if QuietWatt stops renewing (only where off is safe)',
    }),
    safetyTimerGraceSeconds: z
      .number()
      .int()
      .min(0)
      .max(3600)
      .default(60)
      .meta({ description: 'Tasmota: PulseTime = lease remaining + this grace, s' }),
    haBrightnessScale: z
      .number()
      .int()
      .min(1)
      .max(65535)
      .default(255)
      .meta({ description: 'Home Assistant JSON light: brightness_scale' }),
    haAutoMode: z
      .enum(['heat_cool', 'auto'])
      .default('heat_cool')
      .meta({ description: 'Home Assistant climate: mode payload for dual-setpoint auto' }),
    haModeCommandTopic: Topic.optional(),
    haTemperatureCommandTopic: Topic.optional(),
    haTemperatureLowCommandTopic: Topic.optional(),
    haTemperatureHighCommandTopic: Topic.optional(),
    haFanModeCommandTopic: Topic.optional(),
  })
  .strict();
export type DeviceOutputOptions = z.infer<typeof DeviceOutputOptions>;

/** The value a device returns to when no schedule is configured for it. */
export const DeviceFallback = z.union([
  z.object({ levelPct: z.number().min(0).max(100) }).strict(),
  z
    .object({
      mode: z.enum(HVAC_MODES),
      setpointC: z.number().min(5).max(35).optional(),
    })
    .strict(),
]);
export type DeviceFallback = z.infer<typeof DeviceFallback>;
