import type { DecodedCommand, EncodedMessage, OutputTarget } from './encoded.js';
import { levelOfUnits, unitsOfLevel } from './resolution.js';

const Z2M_BRIGHTNESS_MAX = 254;

/** `<base>/<name>/set`: the device's `topic` is `<base>/<name>` (default `zigbee2mqtt/<device id>`). */
export function z2mSetTopic(t: OutputTarget): string {
  return `${t.topic ?? `zigbee2mqtt/${t.address.device}`}/set`;
}

/** Zigbee2MQTT light: `{"state":"OFF"}` or `{"state":"ON","brightness":1..254}`. Never retained. */
export function encodeZ2mLight(t: OutputTarget, levelPct: number): EncodedMessage[] {
  const brightness = unitsOfLevel(levelPct, Z2M_BRIGHTNESS_MAX);
  const body = brightness === 0 ? { state: 'OFF' } : { state: 'ON', brightness };
  return [{ topic: z2mSetTopic(t), payload: JSON.stringify(body), qos: t.options.qos, retain: false }];
}

export function decodeZ2m(messages: readonly EncodedMessage[]): DecodedCommand | undefined {
  let levelPct: number | undefined;
  for (const m of messages) {
    let body: unknown;
    try {
      body = JSON.parse(m.payload);
    } catch {
      return undefined;
    }
    if (typeof body !== 'object' || body === null) return undefined;
    const { state, brightness } = body as { state?: unknown; brightness?: unknown };
    if (state === 'OFF') levelPct = 0;
    else if (state === 'ON' && typeof brightness === 'number')
      levelPct = levelOfUnits(brightness, Z2M_BRIGHTNESS_MAX);
    else return undefined;
  }
  return levelPct === undefined ? undefined : { kind: 'lighting', levelPct };
}
