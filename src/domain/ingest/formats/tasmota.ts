import { z } from 'zod';
import type { ExtractResult } from '../reading.js';
import { reject } from '../reasons.js';
import { isoToMs } from '../timestamp.js';
import { classifyZodError, describeValue } from '../zod-issues.js';

/**
 * Tasmota `tele/<name>/SENSOR`: `{"Time":"2024-06-01T12:00:00","ENERGY":{"Total":123.4,"Power":56}}`.
 * `Total` is kWh, `Power` W. `Time` normally has no offset: it is local time of the meter's zone.
 */
export const TasmotaPayload = z.object({
  Time: z.string().optional(),
  ENERGY: z.object({
    Total: z.number().optional(),
    Power: z.number().optional(),
  }),
});

export function extractTasmota(parsed: unknown, timezone: string): ExtractResult {
  const result = TasmotaPayload.safeParse(parsed);
  if (!result.success) return classifyZodError(result.error, parsed);
  const { Time, ENERGY } = result.data;
  let tsMs: number | undefined;
  if (Time !== undefined) {
    tsMs = isoToMs(Time, timezone);
    if (tsMs === undefined) {
      return reject('wrong-type', `Time: expected a local ISO-8601 time (got ${describeValue(Time)})`);
    }
  }
  if (ENERGY.Total === undefined && ENERGY.Power === undefined) {
    return reject('wrong-type', 'ENERGY: expected at least one of Total or Power');
  }
  return {
    ok: true,
    raw: {
      ...(tsMs !== undefined ? { tsMs } : {}),
      ...(ENERGY.Total !== undefined ? { energyKWh: ENERGY.Total } : {}),
      ...(ENERGY.Power !== undefined ? { powerW: ENERGY.Power } : {}),
    },
  };
}
