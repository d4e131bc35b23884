import { z } from 'zod';
import { Id, Topic } from './common.js';

/** Life-safety kinds are listed so that config can name them; QuietWatt never controls them. */
export const DEVICE_KINDS = [
  'lighting',
  'hvac',
  'emergency-lighting',
  'co-ventilation',
  'smoke-ventilation',
] as const;
export const LIFE_SAFETY_KINDS = ['emergency-lighting', 'co-ventilation', 'smoke-ventilation'] as const;

export const DeviceConfig = z
  .object({
    id: Id,
    kind: z.enum(DEVICE_KINDS),
    schedule: Id.optional().meta({ description: 'Id of the schedule this device runs today (its fallback)' }),
    ratedPowerW: z
      .number()
      .positive()
      .meta({ description: 'Rated electrical power of the device or group, W' }),
    output: z
      .enum(['native', 'zigbee2mqtt', 'tasmota', 'home-assistant'])
      .default('native')
      .meta({ description: 'How setpoints are encoded for this controller' }),
    topic: Topic.optional().meta({ description: 'Command topic base; defaults depend on the output format' }),
    stateTopic: Topic.optional(),
    limits: z
      .object({
        minLevelPct: z.number().min(0).max(100).optional(),
        maxLevelPct: z.number().min(0).max(100).optional(),
        minSetpointC: z.number().min(5).max(35).optional(),
        maxSetpointC: z.number().min(5).max(35).optional(),
      })
      .strict()
      .default({}),
  })
  .strict();
export type DeviceConfig = z.infer<typeof DeviceConfig>;
