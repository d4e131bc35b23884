import { z } from 'zod';
import type { ExtractResult } from '../reading.js';
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

export function extractGenericJson(parsed: unknown, timezone: string): ExtractResult {
  const result = GenericJsonPayload.safeParse(parsed);
  if (!result.success) return classifyZodError(result.error, parsed);
  const p = result.data;
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
  return {
    ok: true,
    raw: {
      ...(tsMs !== undefined ? { tsMs } : {}),
      ...(p.energyKWh !== undefined ? { energyKWh: p.energyKWh } : {}),
      ...(p.powerW !== undefined ? { powerW: p.powerW } : {}),
    },
  };
}
