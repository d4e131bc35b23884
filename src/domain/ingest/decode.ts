import type { MeterConfig } from '../../config/schema/meter.js';
import { extractGenericJson } from './formats/json.js';
import { extractBareNumber } from './formats/number.js';
import { extractShellyGen2 } from './formats/shelly-gen2.js';
import { extractTasmota } from './formats/tasmota.js';
import { extractZigbee2Mqtt } from './formats/zigbee2mqtt.js';
import {
  type DecodeContext,
  type DecodedReading,
  type DecodeResult,
  type ExtractResult,
  type RawReading,
  rawReading,
} from './reading.js';
import { reject } from './reasons.js';
import { isoOrRaw } from './timestamp.js';

/** The parts of a meter's config that decoding reads. */
export type DecodeMeter = Pick<MeterConfig, 'id' | 'format' | 'value' | 'multiplier' | 'maxPowerW'>;

const utf8 = new TextDecoder('utf-8', { fatal: true });
const utf8Encoder = new TextEncoder();

function byteLength(payload: Uint8Array | string): number {
  return typeof payload === 'string' ? utf8Encoder.encode(payload).length : payload.length;
}

function formatMs(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  return minutes < 120 ? `${minutes} min` : `${(minutes / 60).toFixed(1)} h`;
}

function extract(text: string, meter: DecodeMeter, ctx: DecodeContext): ExtractResult {
  if (meter.format === 'number') return extractBareNumber(text, meter.value);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const why = error instanceof Error ? error.message : 'not JSON';
    return reject('malformed-json', `payload is not valid JSON: ${why.slice(0, 120)}`);
  }
  switch (meter.format) {
    case 'json':
      return extractGenericJson(parsed, ctx.timezone);
    case 'tasmota':
      return extractTasmota(parsed, ctx.timezone);
    case 'shelly-gen2':
      return extractShellyGen2(parsed, ctx.receivedAtMs);
    case 'zigbee2mqtt':
      return extractZigbee2Mqtt(parsed, ctx.timezone);
  }
}

function scaled(raw: RawReading, multiplier: number): RawReading {
  if (multiplier === 1) return raw;
  return rawReading(
    raw.tsMs,
    raw.energyKWh !== undefined ? raw.energyKWh * multiplier : undefined,
    raw.powerW !== undefined ? raw.powerW * multiplier : undefined,
  );
}

/**
 * Decodes one payload in the meter's format and checks it on its own: size, JSON, types, finite,
 * non-negative, timestamp within [now - maxAge, now + futureTolerance], power within maxPowerW.
 * Checks that need other readings (jumps between register values) happen in the register series.
 */
export function decodePayload(
  payload: Uint8Array | string,
  meter: DecodeMeter,
  ctx: DecodeContext,
): DecodeResult {
  const bytes = byteLength(payload);
  if (bytes > ctx.maxPayloadBytes) {
    return reject('oversize', `payload of ${bytes} bytes exceeds maxPayloadBytes ${ctx.maxPayloadBytes}`);
  }
  let text: string;
  if (typeof payload === 'string') text = payload;
  else {
    try {
      text = utf8.decode(payload);
    } catch {
      return reject(
        meter.format === 'number' ? 'wrong-type' : 'malformed-json',
        'payload is not valid UTF-8 text',
      );
    }
  }
  const extracted = extract(text, meter, ctx);
  if (!extracted.ok) return extracted;
  const raw = scaled(extracted.raw, meter.multiplier);

  if (raw.energyKWh !== undefined && raw.energyKWh < 0) {
    return reject('negative', `energyKWh ${raw.energyKWh} is negative: a register never goes below zero`);
  }
  if (raw.powerW !== undefined && raw.powerW < 0) {
    return reject('negative', `powerW ${raw.powerW} is negative`);
  }
  const tsMs = raw.tsMs ?? ctx.receivedAtMs;
  if (!Number.isFinite(tsMs)) return reject('wrong-type', `ts: ${tsMs} is not a time`);
  if (tsMs > ctx.nowMs + ctx.futureToleranceMs) {
    return reject(
      'future-timestamp',
      `ts ${isoOrRaw(tsMs)} is ${formatMs(tsMs - ctx.nowMs)} ahead of now (tolerance ${formatMs(ctx.futureToleranceMs)})`,
    );
  }
  if (tsMs < ctx.nowMs - ctx.maxAgeMs) {
    return reject(
      'stale-timestamp',
      `ts ${isoOrRaw(tsMs)} is older than the accepted age of ${formatMs(ctx.maxAgeMs)}`,
    );
  }
  if (raw.powerW !== undefined && raw.powerW > meter.maxPowerW) {
    return reject('absurd-jump', `powerW ${raw.powerW} exceeds maxPowerW ${meter.maxPowerW}`);
  }
  const reading: { -readonly [K in keyof DecodedReading]: DecodedReading[K] } = {
    tsMs,
    tsSource: raw.tsMs !== undefined ? 'payload' : 'received',
  };
  if (raw.energyKWh !== undefined) reading.energyKWh = raw.energyKWh;
  if (raw.powerW !== undefined) reading.powerW = raw.powerW;
  return { ok: true, reading };
}
