import type { DeviceConfig } from '../../config/schema/device.js';
import type { ScheduleConfig } from '../../config/schema/schedule.js';
import { fieldsOfLocalDay, type LocalFields, localFieldsAt } from '../calendar/local-fields.js';
import type { SetpointValue } from '../setpoints/contract.js';

const WEEKDAY_NAMES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

interface BlockTiming {
  readonly days: readonly string[];
  readonly months?: readonly number[] | undefined;
  readonly from: string;
  readonly to: string;
}

/** Parsed "HH:MM" strings: schedules are asked for values at every quarter of every plan. */
const minutesMemo = new Map<string, number>();

function minutesOf(hhmm: string): number {
  let m = minutesMemo.get(hhmm);
  if (m === undefined) {
    const [h, mm] = hhmm.split(':');
    m = Number(h) * 60 + Number(mm);
    minutesMemo.set(hhmm, m);
  }
  return m;
}

function dayMatches(block: BlockTiming, day: LocalFields): boolean {
  const name = WEEKDAY_NAMES[day.weekday - 1];
  if (name === undefined || !block.days.includes(name)) return false;
  return block.months === undefined || block.months.includes(day.month);
}

/**
 * Whether a block covers local time `t`. A block whose `to` is earlier than `from` runs past
 * midnight; its `days` and `months` name the day it starts on.
 */
export function blockCovers(block: BlockTiming, t: LocalFields): boolean {
  const from = minutesOf(block.from);
  const to = minutesOf(block.to);
  const m = t.minuteOfDay;
  if (from < to) return m >= from && m < to && dayMatches(block, t);
  if (from > to) {
    if (m >= from && dayMatches(block, t)) return true;
    return m < to && dayMatches(block, fieldsOfLocalDay(t.localDay - 1, 0));
  }
  return false;
}

/** The value a fixed schedule gives at `tMs`, in the site's local time. First matching block wins. */
export function scheduleValueAt(schedule: ScheduleConfig, tMs: number, timezone: string): SetpointValue {
  const t = localFieldsAt(tMs, timezone);
  if (schedule.kind === 'lighting') {
    const block = schedule.blocks.find((b) => blockCovers(b, t));
    return { kind: 'lighting', levelPct: block?.levelPct ?? schedule.defaultLevelPct };
  }
  const block = schedule.blocks.find((b) => blockCovers(b, t));
  if (block === undefined) return { kind: 'hvac', mode: 'off' };
  const s = block.setpointC;
  switch (block.mode) {
    case 'off':
      return { kind: 'hvac', mode: 'off' };
    case 'fan':
      return { kind: 'hvac', mode: 'fan' };
    case 'cool':
      return { kind: 'hvac', mode: 'cool', setpointC: s ?? 26 };
    case 'heat':
      return { kind: 'hvac', mode: 'heat', setpointC: s ?? 20 };
    case 'auto':
      // One schedule setpoint becomes a 2 K dead band around it; the safety bounds then apply.
      return { kind: 'hvac', mode: 'auto', heatSetpointC: (s ?? 23) - 1, coolSetpointC: (s ?? 23) + 1 };
  }
}

/**
 * What a device returns to without QuietWatt: its schedule's value at `tMs`, else its configured
 * `fallback`, else lights fully on and HVAC off (what uncontrolled equipment does).
 * Not yet clamped: the safety layer bounds it like any other value.
 */
export function deviceScheduleValueAt(
  device: DeviceConfig,
  schedules: readonly ScheduleConfig[],
  tMs: number,
  timezone: string,
): SetpointValue {
  const kind = device.kind === 'hvac' ? 'hvac' : 'lighting';
  const schedule = schedules.find((s) => s.id === device.schedule && s.kind === kind);
  if (schedule !== undefined) return scheduleValueAt(schedule, tMs, timezone);
  const f = device.fallback;
  if (kind === 'lighting') return { kind, levelPct: f !== undefined && 'levelPct' in f ? f.levelPct : 100 };
  if (f === undefined || !('mode' in f)) return { kind, mode: 'off' };
  switch (f.mode) {
    case 'off':
    case 'fan':
      return { kind, mode: f.mode };
    case 'cool':
      return { kind, mode: 'cool', setpointC: f.setpointC ?? 26 };
    case 'heat':
      return { kind, mode: 'heat', setpointC: f.setpointC ?? 20 };
    case 'auto':
      return {
        kind,
        mode: 'auto',
        heatSetpointC: (f.setpointC ?? 23) - 1,
        coolSetpointC: (f.setpointC ?? 23) + 1,
      };
  }
}
