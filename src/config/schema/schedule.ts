import { z } from 'zod';
import { Id, Percent, SetpointC, TimeOfDay, WEEKDAYS, Weekday } from './common.js';

/**
 * A block of a fixed schedule. `to` earlier than `from` runs past midnight into the next day; `days`
 * name the day the block starts on. The first matching block in list order wins.
 */
const ScheduleBlock = z
  .object({
    days: z
      .array(Weekday)
      .min(1)
      .default([...WEEKDAYS])
      .meta({ description: 'Days the block starts on (mon..sun); every day when absent' }),
    months: z
      .array(z.number().int().min(1).max(12))
      .min(1)
      .optional()
      .meta({ description: 'Months (1-12) in which the block applies; all months when absent' }),
    from: TimeOfDay.meta({ description: 'Local start time "HH:MM"' }),
    to: TimeOfDay.meta({
      description: 'Local end time "HH:MM" (24:00 = midnight); earlier than `from` runs past midnight',
    }),
  })
  .strict();

export const LightingBlock = ScheduleBlock.extend({
  levelPct: Percent.meta({ description: 'Lighting level during the block, % of full output' }),
}).strict();

export const LightingSchedule = z
  .object({
    id: Id.meta({ idOf: 'schedule', description: 'Schedule id, unique among schedules' }),
    kind: z.literal('lighting').meta({ description: 'lighting: levels for lighting devices' }),
    description: z
      .string()
      .optional()
      .meta({ text: true, description: 'Where the hours and levels come from' }),
    defaultLevelPct: Percent.meta({ description: 'Level outside every block, % of full output' }),
    blocks: z
      .array(LightingBlock)
      .default([])
      .meta({ description: 'Blocks in priority order: the first matching block sets the level' }),
  })
  .strict()
  .meta({ description: 'A lighting schedule the community runs today' });
export type LightingScheduleConfig = z.infer<typeof LightingSchedule>;

export const HVAC_MODES = ['off', 'cool', 'heat', 'fan', 'auto'] as const;
export type HvacMode = (typeof HVAC_MODES)[number];

export const HvacBlock = ScheduleBlock.extend({
  mode: z.enum(HVAC_MODES).meta({ description: 'Operating mode during the block' }),
  setpointC: SetpointC.optional().meta({
    description: 'Room temperature setpoint, °C; required for cool, heat and auto',
  }),
}).strict();

export const HvacSchedule = z
  .object({
    id: Id.meta({ idOf: 'schedule', description: 'Schedule id, unique among schedules' }),
    kind: z.literal('hvac').meta({ description: 'hvac: modes and setpoints for hvac devices' }),
    description: z
      .string()
      .optional()
      .meta({ text: true, description: 'Where the hours and setpoints come from' }),
    blocks: z
      .array(HvacBlock)
      .default([])
      .meta({ description: 'Blocks in priority order; outside every block the equipment is off' }),
  })
  .strict()
  .meta({
    description: 'An HVAC schedule the community runs today; outside every block the equipment is off',
  });
export type HvacScheduleConfig = z.infer<typeof HvacSchedule>;

export const SCHEDULE_KINDS = ['lighting', 'hvac'] as const;
export type ScheduleKind = (typeof SCHEDULE_KINDS)[number];

export const ScheduleConfig = z.discriminatedUnion('kind', [LightingSchedule, HvacSchedule]);
export type ScheduleConfig = z.infer<typeof ScheduleConfig>;
