import { describe, expect, it } from 'vitest';
import { decodePayload } from '../../../src/domain/ingest/decode.js';
import type { DecodeResult } from '../../../src/domain/ingest/reading.js';
import { ctx, meter, NOW_MS } from './fixtures.js';

function ok(result: DecodeResult) {
  if (!result.ok) throw new Error(`expected ok, got ${result.reason}: ${result.detail}`);
  return result.reading;
}

function rejected(result: DecodeResult) {
  if (result.ok) throw new Error(`expected a rejection, got ${JSON.stringify(result.reading)}`);
  return result;
}

const enc = (s: string) => new TextEncoder().encode(s);

describe('generic JSON', () => {
  const m = meter({ format: 'json' });

  it('reads ISO timestamps with an offset, energy and power', () => {
    const r = ok(decodePayload('{"ts":"2024-06-01T11:55:00+08:00","energyKWh":12.5,"powerW":300}', m, ctx()));
    expect(r).toEqual({ tsMs: NOW_MS - 5 * 60_000, tsSource: 'payload', energyKWh: 12.5, powerW: 300 });
  });

  it('recognises epoch seconds and milliseconds by magnitude', () => {
    const seconds = ok(decodePayload(`{"ts":${NOW_MS / 1000},"energyKWh":1}`, m, ctx()));
    const millis = ok(decodePayload(`{"ts":${NOW_MS},"energyKWh":1}`, m, ctx()));
    expect(seconds.tsMs).toBe(NOW_MS);
    expect(millis.tsMs).toBe(NOW_MS);
  });

  it('reads naive ISO text in the given zone', () => {
    const r = ok(
      decodePayload('{"ts":"2024-06-01T12:00:00","powerW":5}', m, ctx({ timezone: 'Asia/Shanghai' })),
    );
    expect(r.tsMs).toBe(NOW_MS);
  });

  it('uses the receive time when there is no ts', () => {
    const r = ok(decodePayload(enc('{"energyKWh":3}'), m, ctx({ receivedAtMs: NOW_MS - 1000 })));
    expect(r).toEqual({ tsMs: NOW_MS - 1000, tsSource: 'received', energyKWh: 3 });
  });

  it('applies the unit multiplier to energy and power', () => {
    const r = ok(decodePayload('{"energyKWh":2,"powerW":10}', meter({ multiplier: 40 }), ctx()));
    expect(r.energyKWh).toBe(80);
    expect(r.powerW).toBe(400);
  });

  it('needs at least one value', () => {
    const r = rejected(decodePayload('{"ts":1717214400}', m, ctx()));
    expect(r.reason).toBe('wrong-type');
    expect(r.detail).toMatch(/energyKWh or powerW/);
  });
});

describe('bare number', () => {
  it('is the register for cumulative meters and power for power meters', () => {
    expect(ok(decodePayload('123.25', meter({ format: 'number' }), ctx())).energyKWh).toBe(123.25);
    expect(ok(decodePayload(' 56\n', meter({ format: 'number', value: 'power' }), ctx())).powerW).toBe(56);
  });

  it('rejects text that is not a number as wrong-type, NaN as non-finite', () => {
    expect(rejected(decodePayload('twelve', meter({ format: 'number' }), ctx())).reason).toBe('wrong-type');
    expect(rejected(decodePayload('', meter({ format: 'number' }), ctx())).reason).toBe('wrong-type');
    expect(rejected(decodePayload('0x10', meter({ format: 'number' }), ctx())).reason).toBe('wrong-type');
    expect(rejected(decodePayload('NaN', meter({ format: 'number' }), ctx())).reason).toBe('non-finite');
    expect(rejected(decodePayload('-Infinity', meter({ format: 'number' }), ctx())).reason).toBe(
      'non-finite',
    );
    expect(rejected(decodePayload('1e999', meter({ format: 'number' }), ctx())).reason).toBe('non-finite');
  });
});

describe('Tasmota', () => {
  const m = meter({ format: 'tasmota' });
  const payload =
    '{"Time":"2024-06-01T12:00:00","ENERGY":{"TotalStartTime":"2024-01-01T00:00:00","Total":123.4,"Yesterday":1.2,"Today":0.5,"Power":56,"Voltage":230}}';

  it('reads Total kWh and Power W, with Time in the meter zone', () => {
    expect(ok(decodePayload(payload, m, ctx({ timezone: 'Asia/Shanghai' })))).toEqual({
      tsMs: NOW_MS,
      tsSource: 'payload',
      energyKWh: 123.4,
      powerW: 56,
    });
    // The same text in UTC is eight hours later: far in the future.
    expect(rejected(decodePayload(payload, m, ctx({ timezone: 'UTC' }))).reason).toBe('future-timestamp');
  });

  it('names the field of a wrong type', () => {
    const r = rejected(decodePayload('{"Time":"2024-06-01T12:00:00","ENERGY":{"Total":"lots"}}', m, ctx()));
    expect(r.reason).toBe('wrong-type');
    expect(r.detail).toContain('ENERGY.Total');
    expect(r.detail).toContain('"lots"');
  });

  it('rejects a payload without ENERGY', () => {
    const r = rejected(decodePayload('{"Time":"2024-06-01T12:00:00","ANALOG":{"A0":3}}', m, ctx()));
    expect(r.reason).toBe('wrong-type');
    expect(r.detail).toContain('ENERGY');
  });
});

describe('Shelly Gen2', () => {
  const m = meter({ format: 'shelly-gen2' });

  const status = (total: number, minuteTsMs: number) =>
    JSON.stringify({
      id: 0,
      output: true,
      apower: 8.9,
      aenergy: { total, by_minute: [45.2, 47.1, 88.4], minute_ts: minuteTsMs / 1000 },
    });

  it('reads apower W and aenergy.total Wh; a live message is stamped with its receive time', () => {
    const minute = NOW_MS - 60_000;
    expect(ok(decodePayload(status(6532.5, minute), m, ctx({ receivedAtMs: NOW_MS - 30_000 })))).toEqual({
      tsMs: NOW_MS - 30_000,
      tsSource: 'payload',
      energyKWh: 6.5325,
      powerW: 8.9,
    });
    // Two updates within one minute get distinct times, so they are not conflicting duplicates.
    const later = ok(decodePayload(status(6533, minute), m, ctx({ receivedAtMs: NOW_MS - 10_000 })));
    expect(later.tsMs).toBe(NOW_MS - 10_000);
  });

  it('a queued or retained status, received long after minute_ts, keeps minute_ts', () => {
    const minute = NOW_MS - 600_000;
    expect(ok(decodePayload(status(10, minute), m, ctx())).tsMs).toBe(minute);
  });

  it('reads NotifyStatus RPC payloads', () => {
    const payload = JSON.stringify({
      src: 'shellyplus1pm-abc',
      method: 'NotifyStatus',
      params: { ts: NOW_MS / 1000 - 2.5, 'switch:0': { id: 0, apower: 12 } },
    });
    expect(ok(decodePayload(payload, m, ctx()))).toEqual({
      tsMs: NOW_MS - 2500,
      tsSource: 'payload',
      powerW: 12,
    });
  });

  it('names the nested field of a wrong type', () => {
    const payload = JSON.stringify({
      method: 'NotifyStatus',
      params: { 'switch:0': { aenergy: { total: 'x' } } },
    });
    const r = rejected(decodePayload(payload, m, ctx()));
    expect(r.reason).toBe('wrong-type');
    expect(r.detail).toContain('params.switch:0.aenergy.total');
  });
});

describe('Zigbee2MQTT', () => {
  const m = meter({ format: 'zigbee2mqtt' });

  it('reads energy kWh, power W and last_seen', () => {
    const payload =
      '{"energy":4.21,"power":35,"linkquality":120,"last_seen":"2024-06-01T04:00:00.000Z","state":"ON"}';
    expect(ok(decodePayload(payload, m, ctx()))).toEqual({
      tsMs: NOW_MS,
      tsSource: 'payload',
      energyKWh: 4.21,
      powerW: 35,
    });
    expect(ok(decodePayload(`{"power":1,"last_seen":${NOW_MS}}`, m, ctx())).tsMs).toBe(NOW_MS);
  });

  it('rejects a state without energy or power', () => {
    expect(rejected(decodePayload('{"linkquality":120}', m, ctx())).reason).toBe('wrong-type');
  });
});

describe('bad input classes', () => {
  const m = meter({ format: 'json', maxPowerW: 5000 });

  it('malformed-json', () => {
    const r = rejected(decodePayload('{"energyKWh": 1', m, ctx()));
    expect(r.reason).toBe('malformed-json');
    expect(rejected(decodePayload(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), m, ctx())).reason).toBe(
      'malformed-json',
    );
  });

  it('wrong-type names the path and value', () => {
    const r = rejected(decodePayload('{"energyKWh":"12"}', m, ctx()));
    expect(r.reason).toBe('wrong-type');
    expect(r.detail).toMatch(/^energyKWh: .*"12"/);
    expect(rejected(decodePayload('[1,2]', m, ctx())).reason).toBe('wrong-type');
    expect(rejected(decodePayload('{"ts":"yesterday","energyKWh":1}', m, ctx())).detail).toMatch(/^ts:/);
  });

  it('non-finite: NaN/Infinity texts and overflowing numbers', () => {
    for (const bad of ['"NaN"', '"Infinity"', '"-inf"', '1e400']) {
      const r = rejected(decodePayload(`{"powerW":${bad}}`, m, ctx()));
      expect(r.reason, bad).toBe('non-finite');
      expect(r.detail).toContain('powerW');
    }
  });

  it('negative', () => {
    expect(rejected(decodePayload('{"energyKWh":-1}', m, ctx())).reason).toBe('negative');
    expect(rejected(decodePayload('{"powerW":-0.5}', m, ctx())).reason).toBe('negative');
  });

  it('absurd-jump for a power reading over maxPowerW (after the multiplier)', () => {
    expect(rejected(decodePayload('{"powerW":5001}', m, ctx())).reason).toBe('absurd-jump');
    expect(ok(decodePayload('{"powerW":5000}', m, ctx())).powerW).toBe(5000);
    expect(
      rejected(decodePayload('{"powerW":2000}', meter({ maxPowerW: 5000, multiplier: 3 }), ctx())).reason,
    ).toBe('absurd-jump');
  });

  it('future-timestamp beyond the tolerance, not within it', () => {
    expect(ok(decodePayload(`{"ts":${NOW_MS + 4 * 60_000},"powerW":1}`, m, ctx())).tsMs).toBe(
      NOW_MS + 240_000,
    );
    const r = rejected(decodePayload(`{"ts":${NOW_MS + 6 * 60_000},"powerW":1}`, m, ctx()));
    expect(r.reason).toBe('future-timestamp');
    expect(r.detail).toContain('ahead of now');
  });

  it('stale-timestamp older than the maximum age', () => {
    const day = 86_400_000;
    expect(ok(decodePayload(`{"ts":${NOW_MS - 6 * day},"powerW":1}`, m, ctx())).tsMs).toBe(NOW_MS - 6 * day);
    expect(rejected(decodePayload(`{"ts":${NOW_MS - 8 * day},"powerW":1}`, m, ctx())).reason).toBe(
      'stale-timestamp',
    );
    expect(rejected(decodePayload('{"ts":"1970-01-02T00:00:00Z","powerW":1}', m, ctx())).reason).toBe(
      'stale-timestamp',
    );
  });

  it('oversize counts bytes, not characters', () => {
    const big = `{"powerW":1,"pad":"${'x'.repeat(1100)}"}`;
    expect(rejected(decodePayload(big, m, ctx())).reason).toBe('oversize');
    const wide = `{"powerW":1,"pad":"${'电'.repeat(340)}"}`; // 340 chars, 1020 bytes + framing
    expect(wide.length).toBeLessThan(1024);
    expect(rejected(decodePayload(wide, m, ctx())).reason).toBe('oversize');
  });
});
