import { z } from 'zod';
import { isoOrRaw, timestampToMs } from '../ingest/timestamp.js';
import { classifyZodError, describeValue, isNonFinite } from '../ingest/zod-issues.js';
import { SENSOR_RANGES, SENSOR_UNITS } from './ranges.js';
import { rejectSensor, type SensorRejection, type SensorRejectReason } from './reasons.js';
import type { SensorFormat, SensorKind } from './types.js';

/** What decoding needs besides the payload; all time comes in as arguments. */
export interface SensorDecodeContext {
  readonly receivedAtMs: number;
  readonly nowMs: number;
  /** Zone of timestamps without an offset (the site's). */
  readonly timezone: string;
  readonly maxPayloadBytes: number;
  readonly futureToleranceMs: number;
  readonly maxAgeMs: number;
}

export type KindResult =
  | { readonly ok: true; readonly kind: SensorKind; readonly value: number }
  | (SensorRejection & { readonly kind: SensorKind })
  /** The message carries nothing for this kind (a multi-sensor's battery report, say). */
  | { readonly ok: 'absent'; readonly kind: SensorKind };

export type SensorDecodeResult =
  | SensorRejection
  | {
      readonly ok: true;
      readonly tsMs: number;
      readonly tsSource: 'payload' | 'received';
      readonly kinds: readonly KindResult[];
    };

const utf8 = new TextDecoder('utf-8', { fatal: true });
const utf8Encoder = new TextEncoder();

/** A sensor's reading in the `json` format (docs/sensors.md); exported for its JSON Schema. */
export const JsonSensorPayload = z.object({
  ts: z.union([z.string(), z.number()]).optional().meta({
    description:
      'When it was measured: ISO-8601 text (without an offset, in the site time zone) or epoch seconds or milliseconds; the receive time when absent',
  }),
  value: z.union([z.number(), z.boolean()]).meta({
    description: 'The reading in the unit of its kind (docs/sensors.md), or true/false for occupancy',
  }),
});
const Z2mObject = z.record(z.string(), z.unknown());
const Timestamp = z.union([z.string(), z.number()]);
const NumberField = z.number();
const OccupancyField = z.union([z.boolean(), z.number()]);

/** Zigbee2MQTT field per kind; illuminance comes as `illuminance` or, on older devices, `illuminance_lux`. */
const Z2M_FIELDS: Readonly<Record<SensorKind, readonly string[]>> = {
  occupancy: ['occupancy'],
  'indoor-temperature': ['temperature'],
  'outdoor-temperature': ['temperature'],
  illuminance: ['illuminance', 'illuminance_lux'],
};

const BARE_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const TRUE_WORDS = new Set(['true', 'on']);
const FALSE_WORDS = new Set(['false', 'off']);

function formatMs(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  return minutes < 120 ? `${minutes} min` : `${(minutes / 60).toFixed(1)} h`;
}

function withKind(kind: SensorKind, r: SensorRejection): KindResult {
  return { ok: false, reason: r.reason, detail: r.detail, kind };
}

function asSensorRejection(r: { reason: string; detail: string }): SensorRejection {
  return rejectSensor(r.reason === 'non-finite' ? 'non-finite' : 'wrong-type', r.detail);
}

/** A raw value (number or boolean) as the kind's number, checked for type and physical range. */
function kindValue(kind: SensorKind, raw: number | boolean, field: string): KindResult {
  let value: number;
  if (typeof raw === 'boolean') {
    if (kind !== 'occupancy') {
      return withKind(
        kind,
        rejectSensor('wrong-type', `${field}: expected a number for ${kind} (got ${raw})`),
      );
    }
    value = raw ? 1 : 0;
  } else value = raw;
  if (!Number.isFinite(value)) {
    return withKind(kind, rejectSensor('non-finite', `${field}: ${value} is not a finite number`));
  }
  const range = SENSOR_RANGES[kind];
  if (value < range.min || value > range.max) {
    const unit = SENSOR_UNITS[kind];
    return withKind(
      kind,
      rejectSensor(
        'out-of-range',
        `${field}: ${value}${unit ? ` ${unit}` : ''} is outside ${range.min}..${range.max}${unit ? ` ${unit}` : ''} for ${kind}`,
      ),
    );
  }
  return { ok: true, kind, value };
}

/** Bare payload: a number, or true/false/ON/OFF (any case) for occupancy. */
function bareValue(text: string): number | boolean | SensorRejection {
  const t = text.trim();
  const lower = t.toLowerCase();
  if (TRUE_WORDS.has(lower)) return true;
  if (FALSE_WORDS.has(lower)) return false;
  if (isNonFinite(t))
    return rejectSensor('non-finite', `payload: ${describeValue(t)} is not a finite number`);
  if (!BARE_NUMBER.test(t)) {
    return rejectSensor(
      'wrong-type',
      `payload: expected a number or true/false/ON/OFF (got ${describeValue(t)})`,
    );
  }
  return Number(t);
}

function parseTs(value: string | number, timezone: string, field: string): number | SensorRejection {
  const ms = timestampToMs(value, timezone);
  if (ms === undefined) {
    return rejectSensor(
      'wrong-type',
      `${field}: expected ISO-8601 text or epoch seconds/milliseconds (got ${describeValue(value)})`,
    );
  }
  return ms;
}

interface Extracted {
  readonly tsMs?: number;
  readonly perKind: (kind: SensorKind) => KindResult;
}

function extract(text: string, format: SensorFormat, timezone: string): Extracted | SensorRejection {
  if (format === 'number') {
    const v = bareValue(text);
    if (typeof v === 'object') return v;
    return { perKind: (kind) => kindValue(kind, v, 'payload') };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const why = error instanceof Error ? error.message : 'not JSON';
    return rejectSensor('malformed-json', `payload is not valid JSON: ${why.slice(0, 120)}`);
  }
  if (format === 'json') {
    const r = JsonSensorPayload.safeParse(parsed);
    if (!r.success) return asSensorRejection(classifyZodError(r.error, parsed));
    const p = r.data;
    const tsMs = p.ts === undefined ? undefined : parseTs(p.ts, timezone, 'ts');
    if (typeof tsMs === 'object') return tsMs;
    return {
      ...(tsMs !== undefined ? { tsMs } : {}),
      perKind: (kind) => kindValue(kind, p.value, 'value'),
    };
  }
  const obj = Z2mObject.safeParse(parsed);
  if (!obj.success) {
    return rejectSensor('wrong-type', `payload: expected a JSON object (got ${describeValue(parsed)})`);
  }
  const fields = obj.data;
  let tsMs: number | undefined;
  if (fields.last_seen !== undefined) {
    const ts = Timestamp.safeParse(fields.last_seen);
    if (!ts.success) return asSensorRejection(classifyZodError(ts.error, fields.last_seen, ['last_seen']));
    const ms = parseTs(ts.data, timezone, 'last_seen');
    if (typeof ms === 'object') return ms;
    tsMs = ms;
  }
  return {
    ...(tsMs !== undefined ? { tsMs } : {}),
    perKind: (kind) => {
      const name = Z2M_FIELDS[kind].find((f) => fields[f] !== undefined && fields[f] !== null);
      if (name === undefined) return { ok: 'absent', kind };
      const raw = fields[name];
      const r = (kind === 'occupancy' ? OccupancyField : NumberField).safeParse(raw);
      if (!r.success) return withKind(kind, asSensorRejection(classifyZodError(r.error, raw, [name])));
      return kindValue(kind, r.data, name);
    },
  };
}

/**
 * Decodes one sensor message for every kind configured on its topic (a Zigbee multi-sensor reports
 * occupancy, temperature and illuminance in one object). Message-level problems (size, JSON, the
 * timestamp) reject the whole message; value problems reject only the kind they concern.
 */
export function decodeSensorPayload(
  payload: Uint8Array | string,
  format: SensorFormat,
  kinds: readonly SensorKind[],
  ctx: SensorDecodeContext,
): SensorDecodeResult {
  const bytes = typeof payload === 'string' ? utf8Encoder.encode(payload).length : payload.length;
  if (bytes > ctx.maxPayloadBytes) {
    return rejectSensor(
      'oversize',
      `payload of ${bytes} bytes exceeds maxPayloadBytes ${ctx.maxPayloadBytes}`,
    );
  }
  let text: string;
  if (typeof payload === 'string') text = payload;
  else {
    try {
      text = utf8.decode(payload);
    } catch {
      return rejectSensor(
        format === 'number' ? 'wrong-type' : 'malformed-json',
        'payload is not valid UTF-8 text',
      );
    }
  }
  const extracted = extract(text, format, ctx.timezone);
  if ('ok' in extracted) return extracted;
  const tsMs = extracted.tsMs ?? ctx.receivedAtMs;
  const timeProblem = checkTime(tsMs, ctx);
  if (timeProblem) return timeProblem;
  return {
    ok: true,
    tsMs,
    tsSource: extracted.tsMs !== undefined ? 'payload' : 'received',
    kinds: kinds.map((k) => extracted.perKind(k)),
  };
}

function checkTime(tsMs: number, ctx: SensorDecodeContext): SensorRejection | undefined {
  if (!Number.isFinite(tsMs)) return rejectSensor('wrong-type', `ts: ${tsMs} is not a time`);
  if (tsMs > ctx.nowMs + ctx.futureToleranceMs) {
    return rejectSensor(
      'future-timestamp',
      `ts ${isoOrRaw(tsMs)} is ${formatMs(tsMs - ctx.nowMs)} ahead of now (tolerance ${formatMs(ctx.futureToleranceMs)})`,
    );
  }
  if (tsMs < ctx.nowMs - ctx.maxAgeMs) {
    return rejectSensor(
      'stale-timestamp',
      `ts ${isoOrRaw(tsMs)} is older than the accepted age of ${formatMs(ctx.maxAgeMs)}`,
    );
  }
  return undefined;
}

export type { SensorRejectReason };
