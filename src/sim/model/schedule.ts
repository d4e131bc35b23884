import type { LocalTime } from './calendar.js';

const WEEKDAY_NAMES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** The fields of a schedule block that decide whether it applies (structural, as in the config). */
export interface BlockTiming {
  readonly days: readonly string[];
  readonly months?: readonly number[] | undefined;
  readonly from: string;
  readonly to: string;
}

export interface LightingScheduleLike {
  readonly kind: 'lighting';
  readonly defaultLevelPct: number;
  readonly blocks: readonly (BlockTiming & { readonly levelPct: number })[];
}

export type HvacMode = 'off' | 'cool' | 'heat' | 'fan' | 'auto';

export interface HvacScheduleLike {
  readonly kind: 'hvac';
  readonly blocks: readonly (BlockTiming & {
    readonly mode: HvacMode;
    readonly setpointC?: number | undefined;
  })[];
}

export interface HvacCommand {
  readonly mode: HvacMode;
  readonly setpointC: number;
}

/** Used when a block names a mode without a setpoint: China's public-building limits. */
export const DEFAULT_SETPOINT_C: Record<HvacMode, number> = {
  off: 24,
  fan: 24,
  auto: 24,
  cool: 26,
  heat: 20,
};

function minutes(hhmm: string): number {
  const [h, m] = hhmm.split(':');
  return Number(h) * 60 + Number(m);
}

function dayMatches(block: BlockTiming, weekday: number, month: number): boolean {
  const name = WEEKDAY_NAMES[weekday] ?? 'mon';
  if (!block.days.includes(name)) return false;
  return block.months === undefined || block.months.includes(month);
}

/**
 * Whether a block covers this local instant. A block whose `to` is earlier than its `from` runs past
 * midnight; its days and months are those of the day it starts on. `from` equal to `to` covers nothing.
 */
export function blockApplies(block: BlockTiming, at: LocalTime): boolean {
  const from = minutes(block.from);
  const to = minutes(block.to);
  const t = at.minuteOfDay;
  if (from < to) return t >= from && t < to && dayMatches(block, at.weekday, at.month);
  if (from > to) {
    if (t >= from) return dayMatches(block, at.weekday, at.month);
    if (t < to) {
      const prevWeekday = (at.weekday + 6) % 7;
      const prevMonth = at.dayOfMonth === 1 ? ((at.month + 10) % 12) + 1 : at.month;
      return dayMatches(block, prevWeekday, prevMonth);
    }
  }
  return false;
}

/** Level of a lighting schedule at a local instant: the first matching block, else the default. */
export function lightingLevelPct(schedule: LightingScheduleLike, at: LocalTime): number {
  for (const block of schedule.blocks) if (blockApplies(block, at)) return block.levelPct;
  return schedule.defaultLevelPct;
}

/** Mode and setpoint of an HVAC schedule at a local instant: outside every block it is off. */
export function hvacCommand(schedule: HvacScheduleLike, at: LocalTime): HvacCommand {
  for (const block of schedule.blocks) {
    if (blockApplies(block, at)) {
      return { mode: block.mode, setpointC: block.setpointC ?? DEFAULT_SETPOINT_C[block.mode] };
    }
  }
  return { mode: 'off', setpointC: DEFAULT_SETPOINT_C.off };
}
