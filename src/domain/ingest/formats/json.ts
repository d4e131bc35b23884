import { z } from 'zod';
import { type ExtractResult, rawReading } from '../reading.js';
import { reject } from '../reasons.js';
import { timestampToMs } from '../timestamp.js';
import { classifyZodError, describeValue } from '../zod-issues.js';

/** Generic JSON: `{"ts": ISO-8601 or epoch s/ms, "energyKWh": cumulative, "powerW": instantaneous}`. */
export const GenericJsonPayload = z
  .object({
    ts: z.union([z.string(), z.number()]).optional().meta({
      description:
        'When it was read: ISO-8601 text (without an offset, in the site time zone) or epoch seconds or milliseconds; the receive time when absent',
    }),
    energyKWh: z.number().optional().meta({ description: 'Cumulative register, kWh (never decreasing)' }),
    powerW: z.number().optional().meta({ description: 'Instantaneous power, W' }),
  })
  .refine((p) => p.energyKWh !== undefined || p.powerW !== undefined, {
    message: 'expected at least one of energyKWh or powerW',
  });

type GenericJson = z.infer<typeof GenericJsonPayload>;

const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * The payload when it is plainly what the schema accepts (an object whose ts is text or a finite
 * number, energy and power finite numbers, one of them present), read without zod, which cost a
 * tenth of ingest's time per message; undefined for anything else, which the schema then checks and
 * explains as before.
 */
function plainGenericJson(parsed: unknown): GenericJson | undefined {
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const { ts, energyKWh, powerW } = parsed as Record<string, unknown>;
  if (ts !== undefined && typeof ts !== 'string' && !isFiniteNumber(ts)) return undefined;
  if (energyKWh !== undefined && !isFiniteNumber(energyKWh)) return undefined;
  if (powerW !== undefined && !isFiniteNumber(powerW)) return undefined;
  if (energyKWh === undefined && powerW === undefined) return undefined;
  // By assignment (see rawReading): no temporary objects on the hot path.
  const plain: { ts?: string | number; energyKWh?: number; powerW?: number } = {};
  if (ts !== undefined) plain.ts = ts;
  if (energyKWh !== undefined) plain.energyKWh = energyKWh;
  if (powerW !== undefined) plain.powerW = powerW;
  return plain;
}

export function extractGenericJson(parsed: unknown, timezone: string): ExtractResult {
  let p = plainGenericJson(parsed);
  if (p === undefined) {
    const result = GenericJsonPayload.safeParse(parsed);
    if (!result.success) return classifyZodError(result.error, parsed);
    p = result.data;
  }
  let tsMs: number | undefined;
  if (p.ts !== undefined) {
    tsMs = timestampToMs(p.ts, timezone);
    if (tsMs === undefined) {
      return reject(
        'wrong-type',
        `ts: expected ISO-8601 text or epoch seconds/milliseconds (got ${describeValue(p.ts)})`,
      );
    }
  }
  return { ok: true, raw: rawReading(tsMs, p.energyKWh, p.powerW) };
}
