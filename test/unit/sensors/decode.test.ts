import { describe, expect, it } from 'vitest';
import { decodeSensorPayload, type SensorDecodeContext } from '../../../src/domain/sensors/decode.js';
import type { SensorFormat, SensorKind } from '../../../src/domain/sensors/types.js';

const NOW = Date.parse('2024-06-01T02:00:00Z');
const ctx: SensorDecodeContext = {
  receivedAtMs: NOW,
  nowMs: NOW,
  timezone: 'Asia/Shanghai',
  maxPayloadBytes: 256,
  futureToleranceMs: 5 * 60_000,
  maxAgeMs: 7 * 86_400_000,
};

const decode = (payload: string | Uint8Array, format: SensorFormat, kinds: SensorKind[]) =>
  decodeSensorPayload(payload, format, kinds, ctx);

function values(payload: string, format: SensorFormat, kinds: SensorKind[]) {
  const r = decode(payload, format, kinds);
  if (!r.ok) throw new Error(`rejected: ${r.reason} ${r.detail}`);
  return r.kinds.map((k) => (k.ok === true ? k.value : k.ok === 'absent' ? 'absent' : k.reason));
}

describe('sensor payload decoding', () => {
  it('reads generic JSON with ISO, epoch-second and epoch-millisecond timestamps', () => {
    const iso = decode('{"ts":"2024-06-01T09:55:00","value":24.5}', 'json', ['indoor-temperature']);
    expect(iso.ok && iso.tsMs).toBe(Date.parse('2024-06-01T01:55:00Z')); // naive = site zone
    expect(iso.ok && iso.tsSource).toBe('payload');
    const sec = decode(`{"ts":${(NOW - 60_000) / 1000},"value":1}`, 'json', ['occupancy']);
    expect(sec.ok && sec.tsMs).toBe(NOW - 60_000);
    const ms = decode(`{"ts":${NOW - 1000},"value":true}`, 'json', ['occupancy']);
    expect(ms.ok && ms.tsMs).toBe(NOW - 1000);
    expect(values('{"value":false}', 'json', ['occupancy'])).toEqual([0]);
    const noTs = decode('{"value":300}', 'json', ['illuminance']);
    expect(noTs.ok && noTs.tsSource).toBe('received');
  });

  it('reads bare numbers and true/false/ON/OFF/1/0 for occupancy', () => {
    for (const [text, v] of [
      ['1', 1],
      ['0', 0],
      ['true', 1],
      ['FALSE', 0],
      ['ON', 1],
      ['off', 0],
      [' 3 ', 3],
    ] as const) {
      expect(values(text, 'number', ['occupancy'])).toEqual([v]);
    }
    expect(values('21.5', 'number', ['outdoor-temperature'])).toEqual([21.5]);
    expect(values('ON', 'number', ['indoor-temperature'])).toEqual(['wrong-type']);
  });

  it('decodes every configured kind of a Zigbee2MQTT multi-sensor from one message', () => {
    const payload = JSON.stringify({ occupancy: true, illuminance: 120, temperature: 23.4, battery: 90 });
    expect(values(payload, 'zigbee2mqtt', ['occupancy', 'illuminance', 'indoor-temperature'])).toEqual([
      1, 120, 23.4,
    ]);
    expect(
      values('{"illuminance_lux":55,"occupancy":false}', 'zigbee2mqtt', ['illuminance', 'occupancy']),
    ).toEqual([55, 0]);
    // A battery report carries no value for the kinds: absent, not an error.
    expect(values('{"battery":80}', 'zigbee2mqtt', ['occupancy'])).toEqual(['absent']);
    const seen = decode(`{"occupancy":true,"last_seen":"2024-06-01T01:59:00Z"}`, 'zigbee2mqtt', [
      'occupancy',
    ]);
    expect(seen.ok && seen.tsMs).toBe(NOW - 60_000);
  });

  it('rejects a bad value for one kind without losing the others', () => {
    const payload = JSON.stringify({ occupancy: true, temperature: 99 });
    const r = decode(payload, 'zigbee2mqtt', ['occupancy', 'indoor-temperature']);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.kinds[0]).toMatchObject({ ok: true, value: 1 });
    expect(r.kinds[1]).toMatchObject({ ok: false, reason: 'out-of-range' });
    expect(r.kinds[1]?.ok === false && r.kinds[1].detail).toContain('temperature: 99 °C is outside -50..70');
  });

  it.each([
    ['malformed JSON', '{"value":', 'json', 'occupancy', 'malformed-json'],
    ['wrong type', '{"value":"warm"}', 'json', 'indoor-temperature', 'wrong-type'],
    ['missing value', '{"ts":1}', 'json', 'indoor-temperature', 'wrong-type'],
    ['NaN text', 'NaN', 'number', 'indoor-temperature', 'non-finite'],
    ['Infinity text', '-Infinity', 'number', 'illuminance', 'non-finite'],
    ['garbage', 'abc', 'number', 'illuminance', 'wrong-type'],
    ['not an object', '[1,2]', 'zigbee2mqtt', 'occupancy', 'wrong-type'],
    ['bad last_seen', '{"occupancy":true,"last_seen":"yesterday"}', 'zigbee2mqtt', 'occupancy', 'wrong-type'],
    ['too cold', '-51', 'number', 'outdoor-temperature', 'out-of-range'],
    ['too hot', '{"value":70.1}', 'json', 'indoor-temperature', 'out-of-range'],
    ['negative illuminance', '{"illuminance":-1}', 'zigbee2mqtt', 'illuminance', 'out-of-range'],
    ['negative count', '-1', 'number', 'occupancy', 'out-of-range'],
    ['boolean temperature', '{"temperature":true}', 'zigbee2mqtt', 'indoor-temperature', 'wrong-type'],
  ] as const)('classes %s as %s', (_name, payload, format, kind, reason) => {
    const r = decode(payload, format, [kind]);
    const got = r.ok ? (r.kinds[0]?.ok === false ? r.kinds[0].reason : 'accepted') : r.reason;
    expect(got).toBe(reason);
  });

  it('rejects future, stale and oversize messages, and non-UTF-8 bytes', () => {
    const future = decode(`{"ts":${NOW + 10 * 60_000},"value":1}`, 'json', ['occupancy']);
    expect(!future.ok && future.reason).toBe('future-timestamp');
    const stale = decode(`{"ts":${NOW - 8 * 86_400_000},"value":1}`, 'json', ['occupancy']);
    expect(!stale.ok && stale.reason).toBe('stale-timestamp');
    expect(!stale.ok && stale.detail).toContain('older than the accepted age');
    const big = decode(`{"value":1,"pad":"${'x'.repeat(300)}"}`, 'json', ['occupancy']);
    expect(!big.ok && big.reason).toBe('oversize');
    const bytes = decode(new Uint8Array([0xff, 0xfe]), 'json', ['occupancy']);
    expect(!bytes.ok && bytes.reason).toBe('malformed-json');
  });

  it('never throws, whatever the bytes', () => {
    for (let i = 0; i < 500; i++) {
      const len = (i * 7) % 40;
      const bytes = new Uint8Array(len);
      for (let j = 0; j < len; j++) bytes[j] = (i * 31 + j * 17) % 256;
      for (const format of ['json', 'number', 'zigbee2mqtt'] as const) {
        expect(() => decode(bytes, format, ['occupancy', 'illuminance'])).not.toThrow();
      }
    }
  });
});
