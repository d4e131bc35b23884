import { describe, expect, it } from 'vitest';
import {
  type BandHoldEvent,
  type BandHoldLimits,
  type BandHoldSample,
  type BandHoldState,
  bandHoldMessage,
  stepBandHold,
} from '../../../src/domain/comfort/band-hold.js';
import type { SetpointValue } from '../../../src/domain/setpoints/contract.js';

const T0 = Date.parse('2026-07-15T06:00:00Z'); // 14:00 in Shanghai
const MIN = 60_000;
const DEFAULTS: BandHoldLimits = { comfortLowC: 18, comfortHighC: 28, coolLimitC: 26, heatLimitC: 20 };
const COOL_26: SetpointValue = { kind: 'hvac', mode: 'cool', setpointC: 26 };
const HEAT_20: SetpointValue = { kind: 'hvac', mode: 'heat', setpointC: 20 };

/** Feeds samples every `everyMin` minutes from T0; returns the events by minute. */
function run(
  samples: readonly Omit<BandHoldSample, 'tsMs'>[],
  limits = DEFAULTS,
  everyMin = 5,
): { events: [number, BandHoldEvent][]; state: BandHoldState } {
  let state: BandHoldState = {};
  const events: [number, BandHoldEvent][] = [];
  samples.forEach((s, i) => {
    const r = stepBandHold(state, { ...s, tsMs: T0 + i * everyMin * MIN }, limits);
    state = r.state;
    if (r.event.kind !== 'none') events.push([i * everyMin, r.event]);
  });
  return { events, state };
}

const hot = (n: number, tempC = 28.6, hvac: SetpointValue | undefined = COOL_26) =>
  Array.from({ length: n }, () => ({ occupied: true, indoorTempC: tempC, hvac }));

describe('band hold: measured comfort the limits cannot hold', () => {
  it('raises after 30 min above the band with cooling at the 26 °C limit (capacity), clears when back', () => {
    const { events } = run([...hot(8), { occupied: true, indoorTempC: 27.8, hvac: COOL_26 }]);
    expect(events.map(([m, e]) => [m, e.kind])).toEqual([
      [30, 'raise'],
      [40, 'clear'],
    ]);
    const [, raise] = events[0] ?? [];
    if (raise?.kind !== 'raise') throw new Error('no raise');
    expect(raise.finding).toEqual({ side: 'above', reason: 'capacity', sinceMs: T0, tempC: 28.6 });
    expect(events[1]?.[1]).toMatchObject({ kind: 'clear', why: 'back-in-band' });
  });

  it('says nothing for less than the sustained time, or when a break restarts the count', () => {
    expect(run(hot(6)).events).toEqual([]); // 25 min
    const broken = [...hot(4), { occupied: true, indoorTempC: 27.9, hvac: COOL_26 }, ...hot(6)];
    expect(run(broken).events).toEqual([]);
  });

  it('says nothing while the unit is not at the limit, off, unknown, or nobody is there', () => {
    expect(run(hot(10, 28.6, { kind: 'hvac', mode: 'cool', setpointC: 27 })).events).toEqual([]);
    expect(run(hot(10, 28.6, { kind: 'hvac', mode: 'off' })).events).toEqual([]);
    expect(run(hot(10).map((s) => ({ ...s, hvac: undefined }))).events).toEqual([]);
    expect(run(hot(10).map((s) => ({ ...s, occupied: false }))).events).toEqual([]);
  });

  it('a schedule colder than the limit counts as at the limit (the unit cannot do more)', () => {
    expect(run(hot(7, 28.6, { kind: 'hvac', mode: 'cool', setpointC: 24 })).events).toHaveLength(1);
  });

  it('gives the reason "limit" when the band lies beyond the limit', () => {
    // Band up to 25.5 °C, cooling limit 26 °C: a perfect unit at 26 °C still leaves the band.
    const limits = { ...DEFAULTS, comfortHighC: 25.5 };
    const { events } = run(hot(7, 26.2), limits);
    expect(events[0]?.[1]).toMatchObject({ kind: 'raise', finding: { reason: 'limit', side: 'above' } });
  });

  it('watches the heating side the same way, and clears when the space empties', () => {
    const cold = Array.from({ length: 7 }, () => ({ occupied: true, indoorTempC: 17.2, hvac: HEAT_20 }));
    const { events } = run([...cold, { occupied: false, indoorTempC: 17.2, hvac: HEAT_20 }]);
    expect(events.map(([, e]) => e.kind)).toEqual(['raise', 'clear']);
    expect(events[0]?.[1]).toMatchObject({ finding: { side: 'below', reason: 'capacity' } });
    expect(events[1]?.[1]).toMatchObject({ why: 'unoccupied' });
  });

  it('an auto setpoint counts on its side; a missing reading changes nothing', () => {
    const auto: SetpointValue = { kind: 'hvac', mode: 'auto', heatSetpointC: 20, coolSetpointC: 26 };
    const gaps = [...hot(3, 28.6, auto), { occupied: true, hvac: auto }, ...hot(4, 28.6, auto)];
    const { events, state } = run(gaps);
    expect(events.map(([m, e]) => [m, e.kind])).toEqual([[30, 'raise']]);
    // Open, and a missing reading does not clear it.
    const r = stepBandHold(state, { tsMs: T0 + 60 * MIN, occupied: true }, DEFAULTS);
    expect(r.event.kind).toBe('none');
    expect(r.state.open).toBeDefined();
  });

  it('stays open while people are there and the room is still out of the band', () => {
    const { events, state } = run([
      ...hot(7),
      ...hot(5, 28.4, { kind: 'hvac', mode: 'cool', setpointC: 27 }),
    ]);
    expect(events.map(([, e]) => e.kind)).toEqual(['raise']);
    expect(state.open?.sinceMs).toBe(T0);
  });

  it('words the alert with the space, the local time, the values and the reason', () => {
    const finding = { side: 'above', reason: 'capacity', sinceMs: T0, tempC: 28.64 } as const;
    expect(bandHoldMessage('site/lobby', finding, DEFAULTS, 'Asia/Shanghai')).toBe(
      'site/lobby has been above its comfort band (18 °C-28 °C) while occupied since 14:00 (28.6 °C), ' +
        'with cooling at its 26 °C setpoint limit: the unit does not have the capacity to hold the band ' +
        '(reason: capacity)',
    );
    const limit = bandHoldMessage(
      'site/gym',
      { ...finding, reason: 'limit' },
      { ...DEFAULTS, comfortHighC: 25.5 },
      'Asia/Shanghai',
    );
    expect(limit).toContain(
      'the limit lies above the band, so the band cannot be held within it (reason: limit',
    );
  });
});
