import { z } from 'zod';
import type { ExtractResult } from '../reading.js';
import { reject } from '../reasons.js';
import { epochToMs } from '../timestamp.js';
import { classifyZodError } from '../zod-issues.js';

/**
 * Shelly Gen2 switch/pm1 status (`<id>/status/switch:0`): `apower` W, `aenergy.total` Wh,
 * `aenergy.minute_ts` epoch seconds (see LIVE_WINDOW_MS). Notifications carry `params.ts`, which wins. Older firmware restarts `aenergy.total` from zero on reboot;
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

/**
 * `minute_ts` only resolves to the minute, and a Shelly publishes its status on every change, often
 * several times a minute with a rising total: stamping them all with `minute_ts` would make them
 * conflicting duplicates. A message received within two minutes after `minute_ts` is live, and its
 * receive time is the finer stamp; one received later (queued or retained) keeps `minute_ts`.
 */
const LIVE_WINDOW_MS = 120_000;

export function extractShellyGen2(parsed: unknown, receivedAtMs: number): ExtractResult {
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
  let tsMs = notifyTsMs;
  if (minuteTs !== undefined && notifyTsMs === undefined) {
    const minuteMs = epochToMs(minuteTs);
    const live = receivedAtMs >= minuteMs && receivedAtMs - minuteMs <= LIVE_WINDOW_MS;
    tsMs = live ? receivedAtMs : minuteMs;
  }
  return {
    ok: true,
    raw: {
      ...(tsMs !== undefined ? { tsMs: Math.round(tsMs) } : {}),
      ...(aenergy !== undefined ? { energyKWh: aenergy.total / 1000 } : {}),
      ...(apower !== undefined ? { powerW: apower } : {}),
    },
  };
}
