import { describe, expect, it } from 'vitest';
import { DeviceConfig } from '../../../src/config/schema/device.js';
import { deviceScheduleValueAt, scheduleValueAt } from '../../../src/domain/safety/index.js';
import { SCHEDULES } from './fixtures.js';

const TZ = 'Asia/Shanghai';
// 2026-08-01 is a Saturday.
const at = (iso: string) => Date.parse(`${iso}+08:00`);
const [lights, ac] = SCHEDULES;

describe('schedule value at t (site local time)', () => {
  it('takes the first matching block, else the default level', () => {
    if (lights === undefined) throw new Error('fixture');
    expect(scheduleValueAt(lights, at('2026-08-01T12:00:00'), TZ)).toEqual({
      kind: 'lighting',
      levelPct: 100,
    });
    expect(scheduleValueAt(lights, at('2026-08-01T05:59:00'), TZ)).toEqual({
      kind: 'lighting',
      levelPct: 30,
    });
    expect(scheduleValueAt(lights, at('2026-08-01T06:00:00'), TZ)).toEqual({
      kind: 'lighting',
      levelPct: 100,
    });
  });

  it('a block past midnight belongs to the day it starts on', () => {
    if (lights === undefined) throw new Error('fixture');
    // Saturday 23:30 and Sunday 01:30 are in the Saturday-night block; Sunday 23:30 is not.
    expect(scheduleValueAt(lights, at('2026-08-01T23:30:00'), TZ)).toEqual({
      kind: 'lighting',
      levelPct: 60,
    });
    expect(scheduleValueAt(lights, at('2026-08-02T01:30:00'), TZ)).toEqual({
      kind: 'lighting',
      levelPct: 60,
    });
    expect(scheduleValueAt(lights, at('2026-08-02T23:30:00'), TZ)).toEqual({
      kind: 'lighting',
      levelPct: 30,
    });
    expect(scheduleValueAt(lights, at('2026-08-02T02:00:00'), TZ)).toEqual({
      kind: 'lighting',
      levelPct: 30,
    });
  });

  it('hvac blocks apply in their months only, off elsewhere; local time, not UTC', () => {
    if (ac === undefined) throw new Error('fixture');
    expect(scheduleValueAt(ac, at('2026-08-03T08:00:00'), TZ)).toEqual({
      kind: 'hvac',
      mode: 'cool',
      setpointC: 24,
    });
    expect(scheduleValueAt(ac, at('2026-01-05T08:00:00'), TZ)).toEqual({
      kind: 'hvac',
      mode: 'heat',
      setpointC: 22,
    });
    expect(scheduleValueAt(ac, at('2026-04-05T08:00:00'), TZ)).toEqual({ kind: 'hvac', mode: 'off' });
    // 07:30 in Shanghai is 23:30 UTC the day before: still inside the 07:00 block.
    expect(scheduleValueAt(ac, Date.parse('2026-08-02T23:30:00Z'), TZ).kind).toBe('hvac');
    expect(scheduleValueAt(ac, Date.parse('2026-08-02T23:30:00Z'), TZ)).toMatchObject({ mode: 'cool' });
    expect(scheduleValueAt(ac, at('2026-08-03T06:59:00'), TZ)).toEqual({ kind: 'hvac', mode: 'off' });
  });

  it('a device without a schedule uses its configured fallback, else lights on / HVAC off', () => {
    const lamp = DeviceConfig.parse({
      id: 'a',
      kind: 'lighting',
      ratedPowerW: 10,
      fallback: { levelPct: 55 },
    });
    expect(deviceScheduleValueAt(lamp, SCHEDULES, 0, TZ)).toEqual({ kind: 'lighting', levelPct: 55 });
    const bare = DeviceConfig.parse({ id: 'b', kind: 'lighting', ratedPowerW: 10 });
    expect(deviceScheduleValueAt(bare, SCHEDULES, 0, TZ)).toEqual({ kind: 'lighting', levelPct: 100 });
    const hvac = DeviceConfig.parse({ id: 'c', kind: 'hvac', ratedPowerW: 10 });
    expect(deviceScheduleValueAt(hvac, SCHEDULES, 0, TZ)).toEqual({ kind: 'hvac', mode: 'off' });
  });
});
