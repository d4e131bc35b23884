import { z } from 'zod';
import type { ExtractResult } from '../reading.js';
import { reject } from '../reasons.js';
import { timestampToMs } from '../timestamp.js';
import { classifyZodError, describeValue } from '../zod-issues.js';

/**
 * Zigbee2MQTT device state (`zigbee2mqtt/<friendly name>`): `energy` kWh, `power` W, optional
 * `last_seen` (ISO-8601 or epoch ms, depending on the bridge's `last_seen` setting).
 */
export const Zigbee2MqttPayload = z.object({
  energy: z.number().optional(),
  power: z.number().optional(),
  last_seen: z.union([z.string(), z.number()]).optional(),
});

export function extractZigbee2Mqtt(parsed: unknown, timezone: string): ExtractResult {
  const result = Zigbee2MqttPayload.safeParse(parsed);
  if (!result.success) return classifyZodError(result.error, parsed);
  const { energy, power, last_seen } = result.data;
  if (energy === undefined && power === undefined) {
    return reject('wrong-type', 'energy: expected at least one of energy or power');
  }
  let tsMs: number | undefined;
  if (last_seen !== undefined) {
    tsMs = timestampToMs(last_seen, timezone);
    if (tsMs === undefined) {
      return reject(
        'wrong-type',
        `last_seen: expected ISO-8601 text or epoch (got ${describeValue(last_seen)})`,
      );
    }
  }
  return {
    ok: true,
    raw: {
      ...(tsMs !== undefined ? { tsMs } : {}),
      ...(energy !== undefined ? { energyKWh: energy } : {}),
      ...(power !== undefined ? { powerW: power } : {}),
    },
  };
}
