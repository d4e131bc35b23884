import { DateTime } from 'luxon';
import { unsafeUniformIntDistribution, xoroshiro128plus } from 'pure-rand';
import { z } from 'zod';

export const ARMS = ['control', 'treatment'] as const;
/** control: the building's existing schedule; treatment: optimized control. */
export type Arm = (typeof ARMS)[number];

export interface DesignOptions {
  readonly seed: number;
  /** First local day of the design, YYYY-MM-DD. Weeks are 7-day blocks from here. */
  readonly startDate: string;
  readonly weeks: number;
  /** Wanted share of treated days, 0..1; realised as k / blockWeeks per weekday. */
  readonly treatedShare: number;
  /**
   * Weeks per randomisation block. Within a block every weekday is treated in exactly
   * round(share · blockWeeks) of its weeks (at least one, at most blockWeeks - 1), so both arms
   * see every weekday; 2 suits a 50 % share, 10 a 30 % share.
   */
  readonly blockWeeks: number;
  /** Hours after each switch of arm (at local midnight) left out of the estimate. */
  readonly washoutHours: number;
  /** The arm in force before the design starts (the existing schedule). */
  readonly armBefore?: Arm;
}

export interface DayAssignment {
  /** Local date, YYYY-MM-DD. */
  readonly date: string;
  /** 0-based week of the design. */
  readonly week: number;
  /** 1 = Monday .. 7 = Sunday. */
  readonly weekday: number;
  readonly arm: Arm;
  /** Hours at the start of the day excluded because the arm just switched (0 when it did not). */
  readonly washoutHours: number;
}

export const DESIGN_FORMAT_VERSION = 1;

export interface RandomizedDesign {
  readonly formatVersion: typeof DESIGN_FORMAT_VERSION;
  readonly seed: number;
  readonly treatedShare: number;
  readonly blockWeeks: number;
  readonly washoutHours: number;
  readonly days: readonly DayAssignment[];
}

function shuffle<T>(items: readonly T[], rng: ReturnType<typeof xoroshiro128plus>): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = unsafeUniformIntDistribution(0, i, rng);
    [a[i], a[j]] = [a[j] as T, a[i] as T];
  }
  return a;
}

function validateOptions(o: DesignOptions): void {
  if (!(o.treatedShare > 0 && o.treatedShare < 1)) {
    throw new RangeError(`treatedShare must be between 0 and 1 (exclusive), got ${o.treatedShare}`);
  }
  if (!(Number.isInteger(o.blockWeeks) && o.blockWeeks >= 2)) {
    throw new RangeError(`blockWeeks must be an integer >= 2, got ${o.blockWeeks}`);
  }
  if (!(Number.isInteger(o.weeks) && o.weeks >= 1))
    throw new RangeError(`weeks must be >= 1, got ${o.weeks}`);
  if (!(Number.isInteger(o.washoutHours) && o.washoutHours >= 0 && o.washoutHours < 24)) {
    throw new RangeError(`washoutHours must be an integer in 0..23, got ${o.washoutHours}`);
  }
  if (!DateTime.fromISO(o.startDate, { zone: 'UTC' }).isValid) {
    throw new RangeError(`startDate must be YYYY-MM-DD, got "${o.startDate}"`);
  }
}

/**
 * Seeded assignment of days to arms, blocked so that within every block of `blockWeeks` weeks each
 * weekday gets both arms and each week gets about the same number of treated days. Weekday is the
 * strongest driver of a building's daily load, so balancing on it removes most of the noise a
 * plain coin flip would leave in the comparison.
 */
export function assignDays(options: DesignOptions): RandomizedDesign {
  validateOptions(options);
  const { blockWeeks: b, weeks } = options;
  const k = Math.min(b - 1, Math.max(1, Math.round(options.treatedShare * b)));
  const rng = xoroshiro128plus(options.seed);
  const start = DateTime.fromISO(options.startDate, { zone: 'UTC' });
  const days: DayAssignment[] = [];
  let previous: Arm = options.armBefore ?? 'control';
  for (let blockStart = 0; blockStart < weeks; blockStart += b) {
    // Weekday d is treated in weeks (offset_d + j) mod b, j < k. Offsets spread over a random
    // permutation of the weekdays keep each week's count of treated days within one of each other.
    const order = shuffle([0, 1, 2, 3, 4, 5, 6], rng);
    const rotation = unsafeUniformIntDistribution(0, b - 1, rng);
    const offset = new Map<number, number>();
    order.forEach((dayIndex, position) => {
      offset.set(dayIndex, (position + rotation) % b);
    });
    for (let w = blockStart; w < Math.min(weeks, blockStart + b); w++) {
      for (let d = 0; d < 7; d++) {
        const date = start.plus({ days: w * 7 + d });
        const inBlock = w - blockStart;
        const treated = (inBlock - (offset.get(d) as number) + b) % b < k;
        const arm: Arm = treated ? 'treatment' : 'control';
        days.push({
          date: date.toISODate() as string,
          week: w,
          weekday: date.weekday,
          arm,
          washoutHours: arm === previous ? 0 : options.washoutHours,
        });
        previous = arm;
      }
    }
  }
  return {
    formatVersion: DESIGN_FORMAT_VERSION,
    seed: options.seed,
    treatedShare: k / b,
    blockWeeks: b,
    washoutHours: options.washoutHours,
    days,
  };
}

const DayAssignmentSchema = z
  .object({
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD'),
    week: z.number().int().min(0),
    weekday: z.number().int().min(1).max(7),
    arm: z.enum(ARMS),
    washoutHours: z.number().int().min(0).max(23),
  })
  .strict();

const DesignSchema = z
  .object({
    formatVersion: z.literal(DESIGN_FORMAT_VERSION),
    seed: z.number().int(),
    treatedShare: z.number().gt(0).lt(1),
    blockWeeks: z.number().int().min(2),
    washoutHours: z.number().int().min(0).max(23),
    days: z.array(DayAssignmentSchema),
  })
  .strict();

/** JSON text for persistence (the assignments must survive restarts: they define the experiment). */
export function serializeDesign(design: RandomizedDesign): string {
  return JSON.stringify(design);
}

/** Parses persisted assignments; throws an error naming the bad field. */
export function parseDesign(json: string): RandomizedDesign {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (e) {
    throw new Error(`randomized design is not JSON: ${(e as Error).message}`);
  }
  const result = DesignSchema.safeParse(raw);
  if (!result.success) throw new Error(`invalid randomized design: ${z.prettifyError(result.error)}`);
  return result.data as RandomizedDesign;
}

/** The arm of a local date, or undefined outside the design. */
export function armOn(design: RandomizedDesign, date: string): DayAssignment | undefined {
  return design.days.find((d) => d.date === date);
}
