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
  // The offsets in force a day before and a day after bracket any DST change near this wall time;
  // an instant is valid when the zone's offset at it maps back to the same wall time.
  const offBefore = zone.offset(wallMs - 86_400_000);
  const offAfter = zone.isUniversal ? offBefore : zone.offset(wallMs + 86_400_000);
  const valid = [offBefore, offAfter]
    .map((o) => wallMs - o * 60_000)
    .filter((t, i, all) => all.indexOf(t) === i && t + zone.offset(t) * 60_000 === wallMs)
    .sort((a, b) => a - b);
  // No valid instant: the wall time falls in the spring gap; read it with the earlier offset.
  let ms = valid[0] ?? wallMs - offBefore * 60_000;
  // A repeated autumn wall time listed again after its first instant is the second instant.
  if (ms <= prevMs && valid.length > 1) ms = valid[1] ?? ms;
  ms += extraMs;
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
