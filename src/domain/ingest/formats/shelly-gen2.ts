import { z } from 'zod';
import type { ExtractResult } from '../reading.js';
import { reject } from '../reasons.js';
import { epochToMs } from '../timestamp.js';
import { classifyZodError } from '../zod-issues.js';

/**
 * Shelly Gen2 switch/pm1 status (`<id>/status/switch:0`): `apower` W, `aenergy.total` Wh,
 * `aenergy.minute_ts` epoch seconds. Older firmware restarts `aenergy.total` from zero on reboot;
 * register differencing treats that drop as a counter reset.
 */
export const ShellyComponentStatus = z.object({
  apower: z.number().optional(),
  aenergy: z
    .object({
      total: z.number(),
      minute_ts: z.number().optional(),
    })
    .optional(),
});

/** RPC notifications (`<id>/events/rpc`): `{"method":"NotifyStatus","params":{"ts":..,"switch:0":{..}}}`. */
export const ShellyNotify = z.object({
  method: z.string(),
  params: z.looseObject({ ts: z.number().optional() }),
});

const COMPONENT_KEY = /^(switch|pm1):\d+$/;

export function extractShellyGen2(parsed: unknown): ExtractResult {
  let status: unknown = parsed;
  let prefix: string[] = [];
  let notifyTsMs: number | undefined;
  if (parsed !== null && typeof parsed === 'object' && 'params' in parsed) {
    const notify = ShellyNotify.safeParse(parsed);
    if (!notify.success) return classifyZodError(notify.error, parsed);
    const key = Object.keys(notify.data.params).find((k) => COMPONENT_KEY.test(k));
    if (key === undefined) return reject('wrong-type', 'params: expected a switch:N or pm1:N component');
    status = notify.data.params[key];
    prefix = ['params', key];
    if (notify.data.params.ts !== undefined) notifyTsMs = epochToMs(notify.data.params.ts);
  }
  const result = ShellyComponentStatus.safeParse(status);
  if (!result.success) return classifyZodError(result.error, status, prefix);
  const { apower, aenergy } = result.data;
  if (apower === undefined && aenergy === undefined) {
    return reject('wrong-type', `${[...prefix, 'apower'].join('.')}: expected apower or aenergy.total`);
  }
  const minuteTs = aenergy?.minute_ts;
  const tsMs = minuteTs !== undefined ? epochToMs(minuteTs) : notifyTsMs;
  return {
    ok: true,
    raw: {
      ...(tsMs !== undefined ? { tsMs: Math.round(tsMs) } : {}),
      ...(aenergy !== undefined ? { energyKWh: aenergy.total / 1000 } : {}),
      ...(apower !== undefined ? { powerW: apower } : {}),
    },
  };
}
