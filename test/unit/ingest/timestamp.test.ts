import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { isoToMs } from '../../../src/domain/ingest/timestamp.js';

/** What isoToMs gave when it always went through luxon: the reference for its quick path. */
function byLuxon(text: string, timezone: string): number | undefined {
  const dt = DateTime.fromISO(text.trim(), { zone: timezone, setZone: false });
  return dt.isValid ? dt.toMillis() : undefined;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

// ISO texts as meters send them and near misses: fields just out of range, odd fractions, every
// offset spelling, no offset (local time in the zone), lower case, a comma as decimal separator.
const isoArb = fc
  .record({
    year: fc.integer({ min: 990, max: 2100 }),
    month: fc.integer({ min: 0, max: 13 }),
    day: fc.integer({ min: 0, max: 32 }),
    hour: fc.integer({ min: 0, max: 25 }),
    minute: fc.integer({ min: 0, max: 60 }),
    second: fc.option(fc.integer({ min: 0, max: 60 }), { nil: undefined }),
    fraction: fc.option(fc.stringMatching(/^\d{1,10}$/), { nil: undefined }),
    separator: fc.constantFrom('.', '.', ','),
    t: fc.constantFrom('T', 'T', 'T', 't', ' '),
    offset: fc.constantFrom(
      'Z',
      'Z',
      'z',
      '',
      '+08:00',
      '-05:30',
      '+0800',
      '+08',
      '-00:00',
      '+14:00',
      '+24:00',
      '+08:60',
    ),
    spaces: fc.constantFrom('', ' '),
  })
  .map((x) => {
    const seconds =
      x.second === undefined
        ? ''
        : `:${pad(x.second, 2)}${x.fraction === undefined ? '' : `${x.separator}${x.fraction}`}`;
    const text = `${pad(x.year, 4)}-${pad(x.month, 2)}-${pad(x.day, 2)}${x.t}${pad(x.hour, 2)}:${pad(x.minute, 2)}${seconds}${x.offset}`;
    return `${x.spaces}${text}${x.spaces}`;
  });

describe('isoToMs', () => {
  it('reads every ISO text exactly as luxon does, with or without its quick path', () => {
    fc.assert(
      fc.property(isoArb, fc.constantFrom('Asia/Shanghai', 'UTC', 'America/New_York'), (text, zone) => {
        expect(isoToMs(text, zone)).toBe(byLuxon(text, zone));
      }),
      { numRuns: 5_000 },
    );
  });

  it('reads what toISOString writes, and its near misses, as luxon does', () => {
    const canonical = fc
      .date({
        min: new Date('1000-01-01T00:00:00Z'),
        max: new Date('9999-12-31T23:59:59.999Z'),
        noInvalidDate: true,
      })
      .map((d) => d.toISOString());
    // One character of it changed to a digit or a separator: out-of-range fields and wrong shapes.
    const nearMiss = fc
      .tuple(canonical, fc.nat(23), fc.constantFrom('0', '3', '6', '9', '-', ':', '.', 'Z', 'x'))
      .map(([text, at, c]) => `${text.slice(0, at)}${c}${text.slice(at + 1)}`);
    fc.assert(
      fc.property(fc.oneof(canonical, nearMiss), (text) => {
        expect(isoToMs(text, 'Asia/Shanghai')).toBe(byLuxon(text, 'Asia/Shanghai'));
      }),
      { numRuns: 5_000 },
    );
  });

  it('reads the usual forms', () => {
    expect(isoToMs('2024-06-01T11:55:00+08:00', 'UTC')).toBe(Date.parse('2024-06-01T03:55:00Z'));
    expect(isoToMs('2024-06-01T03:55:00.1239Z', 'UTC')).toBe(Date.parse('2024-06-01T03:55:00.123Z'));
    expect(isoToMs('2024-02-29T00:00:00Z', 'UTC')).toBe(Date.parse('2024-02-29T00:00:00Z'));
    expect(isoToMs('2023-02-29T00:00:00Z', 'UTC')).toBeUndefined();
    // Century years are leap years only when divisible by 400.
    expect(isoToMs('2000-02-29T00:00:00.000Z', 'UTC')).toBe(Date.parse('2000-02-29T00:00:00Z'));
    expect(isoToMs('1900-02-29T00:00:00.000Z', 'UTC')).toBeUndefined();
    expect(isoToMs('2100-02-29T12:00:00.000Z', 'UTC')).toBeUndefined();
    expect(isoToMs('2024-04-31T12:00:00.000Z', 'UTC')).toBeUndefined();
    expect(isoToMs('2024-06-01T12:00:00', 'Asia/Shanghai')).toBe(Date.parse('2024-06-01T04:00:00Z'));
  });
});
