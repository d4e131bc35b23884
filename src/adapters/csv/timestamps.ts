import { FixedOffsetZone, IANAZone, type Zone } from 'luxon';

/**
 * Timestamp text -> UTC ms. Accepted forms: 'YYYY-MM-DD HH:MM[:SS]', 'YYYY-MM-DDTHH:MM[:SS][.fff][Z|±HH:MM]'
 * and 'MM/DD/YYYY HH:MM[:SS]'. Text without an offset is wall time in `zone` (IANA name or a fixed
 * offset such as 'UTC+1'). Wall times that occur twice (autumn DST change) resolve to the first
 * instant unless that would not advance past `prevMs`, in which case the second is taken, so a file
 * that lists the repeated hour twice keeps both. Wall times that do not exist (spring change) are
 * shifted forward by luxon; the caller sees them as duplicates of the next hour.
 */
export function resolveZone(name: string): Zone | null {
  if (/^(utc|etc\/utc|z|gmt)$/i.test(name)) return FixedOffsetZone.utcInstance;
  if (IANAZone.isValidZone(name)) return cachedOffsets(IANAZone.create(name));
  const fixed = FixedOffsetZone.parseSpecifier(name);
  return fixed?.isValid ? fixed : null;
}

const ISO_RE =
  /^(\d{4})-(\d{2})-(\d{2})[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/;
const US_RE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$/;

export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** Explicit offset in minutes, if the text carried one. */
  offsetMin: number | null;
}

export function parseWallTime(text: string): WallTime | null {
  const s = text.trim();
  let m = ISO_RE.exec(s);
  if (m) {
    let offsetMin: number | null = null;
    const off = m[7];
    if (off === 'Z') offsetMin = 0;
    else if (off) {
      const sign = off.startsWith('-') ? -1 : 1;
      const digits = off.slice(1).replace(':', '');
      offsetMin = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2)));
    }
    return {
      year: Number(m[1]),
      month: Number(m[2]),
      day: Number(m[3]),
      hour: Number(m[4]),
      minute: Number(m[5]),
      second: Number(m[6] ?? 0),
      offsetMin,
    };
  }
  m = US_RE.exec(s);
  if (m) {
    return {
      year: Number(m[3]),
      month: Number(m[1]),
      day: Number(m[2]),
      hour: Number(m[4]),
      minute: Number(m[5]),
      second: Number(m[6] ?? 0),
      offsetMin: null,
    };
  }
  return null;
}

/** UTC ms of a wall time; NaN when invalid. `prevMs` disambiguates repeated autumn hours. */
export function wallTimeToUtcMs(w: WallTime, zone: Zone, prevMs = Number.NEGATIVE_INFINITY): number {
  // Hour 24 ("24:00") is the end of the day: roll it over explicitly.
  const extraMs = w.hour === 24 ? 3_600_000 : 0;
  const hour = w.hour === 24 ? 23 : w.hour;
  if (w.offsetMin !== null) {
    const base = Date.UTC(w.year, w.month - 1, w.day, hour, w.minute, w.second);
    return Number.isFinite(base) ? base - w.offsetMin * 60_000 + extraMs : Number.NaN;
  }
  const wallMs = Date.UTC(w.year, w.month - 1, w.day, hour, w.minute, w.second);
  if (!Number.isFinite(wallMs)) return Number.NaN;
  // Two-step offset lookup (offset at the guess, then at the corrected instant): exact except inside
  // DST changes, where the first of two repeated instants is taken and a missing hour moves forward.
  const off1 = zone.offset(wallMs);
  const guess = wallMs - off1 * 60_000;
  const off2 = zone.isUniversal ? off1 : zone.offset(guess);
  let ms = wallMs - Math.max(off1, off2) * 60_000 + extraMs;
  if (off1 !== off2) {
    const a = wallMs - off1 * 60_000;
    const b = wallMs - off2 * 60_000;
    // Prefer an instant whose local wall time matches the text (both match inside a repeated hour).
    const matches = (t: number): boolean => t + zone.offset(t) * 60_000 === wallMs;
    const candidates = [a, b].filter(matches).sort((x, y) => x - y);
    ms = (candidates[0] ?? Math.min(a, b)) + extraMs;
  }
  if (ms <= prevMs) {
    // Same wall clock one hour later exists only inside the repeated autumn hour.
    const later = ms - extraMs + 3_600_000;
    if (later + zone.offset(later) * 60_000 === wallMs) ms = later + extraMs;
  }
  return ms;
}

/**
 * The zone with its offset lookups memoised per quarter hour (offsets change only at DST
 * transitions, on quarter-hour boundaries in every zone in use): Intl lookups are slow.
 */
function cachedOffsets(zone: Zone): Zone {
  const cache = new Map<number, number>();
  const offset = (ts: number): number => {
    const key = Math.floor(ts / 900_000);
    let v = cache.get(key);
    if (v === undefined) {
      v = zone.offset(key * 900_000);
      cache.set(key, v);
    }
    return v;
  };
  return Object.assign(Object.create(zone) as Zone, { offset });
}
