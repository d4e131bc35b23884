import { z } from 'zod';
import { END_USES } from '../../domain/energy.js';
import { Id, IsoDate, TimeOfDay } from './common.js';

/** Forecasting service: calendar, nightly retrain, training window. */
export const ForecastConfig = z
  .object({
    holidays: z.enum(['auto', 'china', 'none']).default('auto').meta({
      description: "Holiday calendar: 'auto' uses China's published holidays for Chinese time zones",
    }),
    extraHolidays: z
      .array(IsoDate)
      .default([])
      .meta({ description: 'Operator-declared days off (YYYY-MM-DD), e.g. years not yet published' }),
    extraWorkdays: z
      .array(IsoDate)
      .default([])
      .meta({ description: 'Operator-declared working days on weekends (YYYY-MM-DD)' }),
    retrainAt: TimeOfDay.default('02:30').meta({
      description: "Local time (site time zone) of the nightly model refit, 'HH:MM'",
    }),
    trainDays: z
      .number()
      .int()
      .min(14)
      .max(730)
      .default(365)
      .meta({ description: 'Days of history a forecast model is fitted on (at most)' }),
  })
  .strict();
export type ForecastConfig = z.infer<typeof ForecastConfig>;

export const BaselinePeriodConfig = z
  .object({
    site: Id.optional().meta({ ref: 'site', description: 'Site id; any site when absent' }),
    space: Id.optional().meta({
      ref: 'space',
      scopedBy: 'site',
      description: 'Space id (of `site` when given); every space of the site when absent',
    }),
    endUse: z.enum(END_USES).optional().meta({ description: 'End use; all when absent' }),
    from: IsoDate.meta({ description: 'First local day of the baseline period' }),
    to: IsoDate.meta({ description: 'Last local day of the baseline period (inclusive)' }),
  })
  .strict();
export type BaselinePeriodConfig = z.infer<typeof BaselinePeriodConfig>;

export const RandomizedConfig = z
  .object({
    site: Id.meta({ ref: 'site', description: 'Site whose days are assigned' }),
    startDate: IsoDate.meta({ description: 'First local day of the design' }),
    weeks: z.number().int().min(2).max(520).default(26).meta({ description: 'Length of the design, weeks' }),
    treatedShare: z
      .number()
      .gt(0)
      .lt(1)
      .default(0.5)
      .meta({ description: 'Share of days under optimized control' }),
    blockWeeks: z
      .number()
      .int()
      .min(2)
      .max(20)
      .default(2)
      .meta({ description: 'Weeks per randomisation block (2 suits 50 %, 10 suits 30 %)' }),
    washoutHours: z
      .number()
      .int()
      .min(0)
      .max(23)
      .default(4)
      .meta({ description: 'Hours after each switch of arm left out of the estimate' }),
    seed: z.number().int().default(1).meta({ description: 'Seed of the assignment' }),
    minDaysPerArm: z
      .number()
      .int()
      .min(2)
      .default(14)
      .meta({ description: 'No estimate until each arm has this many complete days' }),
  })
  .strict();
export type RandomizedConfig = z.infer<typeof RandomizedConfig>;

/**
 * The randomized on/off verification that starts by itself when a site's first space goes active
 * (and again when the planner's settings change), for sites without a design of their own.
 */
export const VerificationConfig = z
  .object({
    enabled: z
      .boolean()
      .default(true)
      .meta({ description: 'Start a randomized on/off design by itself when a site goes active' }),
    controlShare: z.number().min(0.05).max(0.5).default(0.25).meta({
      description:
        "Share of days run on the building's own schedule (the control arm). It costs this share of the savings while the design runs",
    }),
    weeks: z
      .number()
      .int()
      .min(2)
      .max(104)
      .default(16)
      .meta({ description: 'Length of each verification design, weeks' }),
    blockWeeks: z
      .number()
      .int()
      .min(2)
      .max(20)
      .default(4)
      .meta({ description: 'Weeks per randomisation block (4 realises a 25 % control share exactly)' }),
    washoutHours: z
      .number()
      .int()
      .min(0)
      .max(23)
      .default(4)
      .meta({ description: 'Hours after each switch of arm left out of the estimate' }),
    minDaysPerArm: z
      .number()
      .int()
      .min(2)
      .default(7)
      .meta({ description: 'No estimate until each arm has this many complete days' }),
    seed: z
      .number()
      .int()
      .default(1)
      .meta({ description: 'Seed of the first assignment (later ones add 1)' }),
  })
  .strict();
export type VerificationConfig = z.infer<typeof VerificationConfig>;

/** Savings ledger: baseline periods and randomized on/off designs. */
export const SavingsConfig = z
  .object({
    baselines: z.array(BaselinePeriodConfig).default([]).meta({
      description:
        'Baseline periods; the most specific entry wins. Without one, the baseline is the readings gathered before the space first went active (at most `baselineDays`)',
    }),
    baselineDays: z
      .number()
      .int()
      .min(28)
      .max(730)
      .default(365)
      .meta({ description: 'Length of the automatic baseline period, days' }),
    randomized: z
      .array(RandomizedConfig)
      .default([])
      .meta({ description: 'Randomized on/off designs, one per site at most' }),
    verification: VerificationConfig.prefault({}).meta({
      description: 'The default randomized verification of sites without a design in `randomized`',
    }),
    provisionalHalfWidthPct: z.number().gt(0).max(100).default(10).meta({
      description:
        'A figure is provisional while the half-width of its 90 % interval exceeds this many percent of its baseline',
    }),
  })
  .strict();
export type SavingsConfig = z.infer<typeof SavingsConfig>;
