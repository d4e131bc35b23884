/**
 * One point of a time series as InfluxDB line protocol describes it. Field values that are strings
 * are kept for InfluxDB (VictoriaMetrics stores them as 0), so nothing read back depends on them.
 */
export interface SeriesPoint {
  readonly measurement: string;
  /** Bounded values only (site, space, meter or device, end use, kind...): each one is a series. */
  readonly tags: Readonly<Record<string, string | undefined>>;
  /** Undefined and non-finite values are left out; a point without any field is not written. */
  readonly fields: Readonly<Record<string, number | boolean | string | undefined>>;
  /** Milliseconds since the epoch: always given, so a retried point overwrites instead of adding. */
  readonly tsMs: number;
}

const escapeMeasurement = (s: string): string => s.replace(/[\\, ]/g, (c) => `\\${c}`);
const escapeKey = (s: string): string => s.replace(/[\\,= ]/g, (c) => `\\${c}`);
// Line breaks cannot be escaped in line protocol; they would split the line.
const escapeString = (s: string): string => s.replace(/[\r\n]+/g, ' ').replace(/["\\]/g, (c) => `\\${c}`);

function fieldValue(value: number | boolean | string): string | undefined {
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'string') return `"${escapeString(value)}"`;
  if (!Number.isFinite(value)) return undefined;
  // Floats always: a field's type is fixed by its first write, and 1 and 1.5 must not conflict.
  return String(value);
}

/** A point as a line, and the key (series and time) under which a later line overwrites it. */
export interface EncodedPoint {
  readonly key: string;
  readonly line: string;
}

/**
 * The point as one line with millisecond precision, or undefined when it has no field to write.
 * Tags are sorted by key (what InfluxDB recommends); empty tag values are left out.
 */
export function encodePoint(point: SeriesPoint): EncodedPoint | undefined {
  const fields: string[] = [];
  for (const [key, value] of Object.entries(point.fields)) {
    if (value === undefined) continue;
    const text = fieldValue(value);
    if (text !== undefined) fields.push(`${escapeKey(key)}=${text}`);
  }
  if (fields.length === 0 || !Number.isFinite(point.tsMs)) return undefined;
  const tags = Object.entries(point.tags)
    .filter((e): e is [string, string] => e[1] !== undefined && e[1] !== '')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `,${escapeKey(k)}=${escapeKey(v.replace(/[\r\n]+/g, ' '))}`)
    .join('');
  const series = `${escapeMeasurement(point.measurement)}${tags}`;
  const ts = String(Math.round(point.tsMs));
  return { key: `${series} ${ts}`, line: `${series} ${fields.join(',')} ${ts}` };
}

export function toLine(point: SeriesPoint): string | undefined {
  return encodePoint(point)?.line;
}
