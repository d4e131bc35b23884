import { z } from 'zod';
import { Id, TimeOfDay, Weekday } from './common.js';

const ScheduleBlock = z
  .object({
    days: z.array(Weekday).min(1).default(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']),
    from: TimeOfDay,
    to: TimeOfDay,
  })
  .strict();

export const LightingSchedule = z
  .object({
    id: Id,
    kind: z.literal('lighting'),
    description: z.string().optional(),
    defaultLevelPct: z.number().min(0).max(100).meta({ description: 'Level outside every block' }),
    blocks: z.array(ScheduleBlock.extend({ levelPct: z.number().min(0).max(100) }).strict()).default([]),
  })
  .strict();

export const HVAC_MODES = ['off', 'cool', 'heat', 'fan', 'auto'] as const;

export const HvacSchedule = z
  .object({
    id: Id,
    kind: z.literal('hvac'),
    description: z.string().optional(),
    blocks: z
      .array(
        ScheduleBlock.extend({
          mode: z.enum(HVAC_MODES),
          setpointC: z.number().min(5).max(35).optional(),
          months: z.array(z.number().int().min(1).max(12)).optional().meta({
            description: 'Months (1-12) in which the block applies; all months when absent',
          }),
        }).strict(),
      )
      .default([]),
  })
  .strict()
  .meta({ description: 'Outside every block the equipment is off' });

export const ScheduleConfig = z.discriminatedUnion('kind', [LightingSchedule, HvacSchedule]);
export type ScheduleConfig = z.infer<typeof ScheduleConfig>;
