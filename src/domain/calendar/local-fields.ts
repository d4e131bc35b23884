import { IANAZone } from 'luxon';
import { monthOfDay } from './day-number.js';

/**
 * Local calendar fields of one instant, without building a Luxon DateTime: the control loop asks
 * for schedule values at every quarter of a 48-hour horizon per device, and Intl's zone lookup
 * behind each DateTime was the largest single cost of a planning pass. Offsets change only at DST
 * transitions, so one lookup per zone and UTC day suffices except on the transition days.
 */
export interface LocalFields {
  /** Local day number: days since 1970-01-01 of the local calendar date. */
  readonly localDay: number;
  /** Minutes since local midnight, 0..1439. */
  readonly minuteOfDay: number;
  /** 1 = Monday .. 7 = Sunday (Luxon's and ISO's numbering). */
  readonly weekday: number;
  /** 1..12. */
  readonly month: number;
}

const DAY_MS = 86_400_000;
/** Bounds the memo: a long-running service asks about ever new days. */
const MAX_DAYS_PER_ZONE = 4_096;

interface ZoneMemo {
  readonly zone: IANAZone;
  /** Per UTC day: the offset in minutes when it holds the whole day, null on a transition day. */
  readonly days: Map<number, number | null>;
}

const memos = new Map<string, ZoneMemo>();

function memoOf(timeZone: string): ZoneMemo {
  let memo = memos.get(timeZone);
  if (!memo) {
    memo = { zone: IANAZone.create(timeZone), days: new Map() };
    memos.set(timeZone, memo);
  }
  return memo;
}

/** The zone's offset from UTC at `tMs`, minutes; NaN for an unknown zone. */
export function zoneOffsetMinutes(tMs: number, timeZone: string): number {
  const memo = memoOf(timeZone);
  const utcDay = Math.floor(tMs / DAY_MS);
  let uniform = memo.days.get(utcDay);
  if (uniform === undefined) {
    const a = memo.zone.offset(utcDay * DAY_MS);
    const b = memo.zone.offset((utcDay + 1) * DAY_MS);
    uniform = a === b ? a : null;
    if (memo.days.size >= MAX_DAYS_PER_ZONE) memo.days.clear();
    memo.days.set(utcDay, uniform);
  }
  return uniform ?? memo.zone.offset(tMs);
}

/** Local fields of a local day number and minute. */
export function fieldsOfLocalDay(localDay: number, minuteOfDay: number): LocalFields {
  // 1970-01-01 was a Thursday (ISO 4).
  const weekday = ((((localDay + 3) % 7) + 7) % 7) + 1;
  return { localDay, minuteOfDay, weekday, month: monthOfDay(localDay) + 1 };
}

/** Local calendar fields of `tMs` in `timeZone` (all NaN for an unknown zone). */
export function localFieldsAt(tMs: number, timeZone: string): LocalFields {
  const localMs = tMs + zoneOffsetMinutes(tMs, timeZone) * 60_000;
  const localDay = Math.floor(localMs / DAY_MS);
  return fieldsOfLocalDay(localDay, Math.floor((localMs - localDay * DAY_MS) / 60_000));
}
