import { describe, expect, it } from 'vitest';
import { coalesceReceiverStamped } from '../../../src/sim/coalesce.js';
import { encodeMeterReading } from '../../../src/sim/encode/meter-payload.js';
import { encodeSensorReading } from '../../../src/sim/encode/sensor-payload.js';
import type { MeterFormat, MeterModel } from '../../../src/sim/model/community.js';
import type { MeterReading, SensorReading } from '../../../src/sim/model/outputs.js';

// 2026-11-28 15:07:30 UTC = 23:07:30 in Shanghai.
const T = Date.UTC(2026, 10, 28, 15, 7, 30);

function meter(format: MeterFormat, extra: Partial<MeterModel> = {}): MeterModel {
  return {
    id: 'm',
    spaceKey: 's/x',
    topic: 't',
    format,
    measures: 'lighting',
    value: 'cumulative',
    multiplier: 1,
    timezone: 'Asia/Shanghai',
    share: 1,
    phaseMs: 0,
    nominalKW: 1,
    ...extra,
  };
}

function reading(m: MeterModel): MeterReading {
  return {
    kind: 'meter',
    tMs: T,
    meter: m,
    registerKWh: 1234.5678,
    powerW: 550.4,
    todayKWh: 3.21,
    yesterdayKWh: 10.5,
    lastMinutesWh: [9.2, 9.1, 9],
    voltageV: 221.2,
  };
}

describe('meter payloads, as the real devices publish them', () => {
  it('Tasmota: naive local Time, ENERGY.Total kWh and ENERGY.Power W', () => {
    const p = JSON.parse(encodeMeterReading(reading(meter('tasmota'))));
    expect(p.Time).toBe('2026-11-28T23:07:30');
    expect(p.ENERGY.Total).toBe(1234.568);
    expect(p.ENERGY.Power).toBe(550);
    expect(p.ENERGY.Today).toBe(3.21);
    expect(p.ENERGY.Yesterday).toBe(10.5);
    expect(p.ENERGY.Voltage).toBe(221);
    expect(Object.keys(p)).toEqual(['Time', 'ENERGY']);
  });

  it('Shelly Gen2: apower W, aenergy.total Wh, minute_ts epoch seconds of the minute', () => {
    const p = JSON.parse(encodeMeterReading(reading(meter('shelly-gen2'))));
    expect(p.id).toBe(0);
    expect(p.apower).toBe(550.4);
    expect(p.aenergy.total).toBe(1234567.8);
    expect(p.aenergy.minute_ts).toBe(Math.floor(T / 60_000) * 60);
    expect(p.aenergy.by_minute).toEqual([9200, 9100, 9000]);
  });

  it('Zigbee2MQTT: energy kWh and power W', () => {
    const p = JSON.parse(encodeMeterReading(reading(meter('zigbee2mqtt'))));
    expect(p.energy).toBe(1234.57);
    expect(p.power).toBe(550);
  });

  it('generic json: ISO ts, energyKWh and powerW; a power meter sends power only', () => {
    expect(JSON.parse(encodeMeterReading(reading(meter('json'))))).toEqual({
      ts: '2026-11-28T15:07:30.000Z',
      energyKWh: 1234.5678,
      powerW: 550.4,
    });
    expect(JSON.parse(encodeMeterReading(reading(meter('json', { value: 'power' }))))).toEqual({
      ts: '2026-11-28T15:07:30.000Z',
      powerW: 550.4,
    });
  });

  it('bare number: the register, or the power of a power meter', () => {
    expect(encodeMeterReading(reading(meter('number')))).toBe('1234.5678');
    expect(encodeMeterReading(reading(meter('number', { value: 'power' })))).toBe('550.4');
  });

  it('publishes raw units: value / multiplier', () => {
    const wh = meter('number', { multiplier: 0.001 });
    expect(Number(encodeMeterReading(reading(wh)))).toBeCloseTo(1_234_567.8, 6);
    const ct = JSON.parse(encodeMeterReading(reading(meter('tasmota', { multiplier: 40 }))));
    expect(ct.ENERGY.Total).toBeCloseTo(1234.5678 / 40, 3);
    expect(ct.ENERGY.Power).toBe(Math.round(550.4 / 40));
    const shelly = JSON.parse(encodeMeterReading(reading(meter('shelly-gen2', { multiplier: 2 }))));
    expect(shelly.aenergy.total).toBeCloseTo(1234567.8 / 2, 3);
    expect(shelly.apower).toBeCloseTo(275.2, 6);
  });
});

describe('sensor payloads', () => {
  const base = { kind: 'sensor', tMs: T, topic: 't', spaceKey: 's/x' } as const;
  const sensor = (format: SensorReading['format'], values: SensorReading['values']): SensorReading => ({
    ...base,
    format,
    values,
  });

  it('json {"ts","value"}, bare numbers, and Zigbee2MQTT fields', () => {
    expect(JSON.parse(encodeSensorReading(sensor('json', { occupancy: true })))).toEqual({
      ts: '2026-11-28T15:07:30.000Z',
      value: true,
    });
    expect(JSON.parse(encodeSensorReading(sensor('json', { 'indoor-temperature': 23.46 })))).toEqual({
      ts: '2026-11-28T15:07:30.000Z',
      value: 23.5,
    });
    expect(encodeSensorReading(sensor('number', { occupancy: false }))).toBe('0');
    expect(encodeSensorReading(sensor('number', { illuminance: 123.6 }))).toBe('124');
    expect(JSON.parse(encodeSensorReading(sensor('zigbee2mqtt', { occupancy: true })))).toEqual({
      occupancy: true,
    });
    expect(JSON.parse(encodeSensorReading(sensor('zigbee2mqtt', { 'outdoor-temperature': 8.04 })))).toEqual({
      temperature: 8,
    });
  });

  it('a Zigbee multi-sensor sends all its fields in one message', () => {
    const p = JSON.parse(
      encodeSensorReading(sensor('zigbee2mqtt', { occupancy: false, illuminance: 311.2 })),
    );
    expect(p).toEqual({ occupancy: false, illuminance: 311 });
  });
});

describe('bursts after a long tick', () => {
  it('keep only the newest receiver-stamped message per topic, and every timestamped one', () => {
    const m = (format: MeterFormat, topic: string, tMs: number): MeterReading => ({
      ...reading(meter(format, { topic })),
      tMs,
    });
    const outputs = [
      m('zigbee2mqtt', 'z', 1),
      m('tasmota', 'tas', 1),
      m('zigbee2mqtt', 'z', 2),
      m('tasmota', 'tas', 2),
      m('number', 'n', 2),
      m('shelly-gen2', 's', 1),
      m('shelly-gen2', 's', 3),
    ];
    const kept = coalesceReceiverStamped(outputs).map((o) =>
      o.kind === 'meter' ? `${o.meter.topic}@${o.tMs}` : '',
    );
    expect(kept).toEqual(['tas@1', 'z@2', 'tas@2', 'n@2', 's@3']);
  });
});
