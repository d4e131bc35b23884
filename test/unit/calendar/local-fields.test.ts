import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { localFieldsAt } from '../../../src/domain/calendar/local-fields.js';

const ZONES = ['Asia/Shanghai', 'Europe/London', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kathmandu'];

describe('localFieldsAt', () => {
  it('gives the same local fields as Luxon, across DST transitions', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2040, 0, 1) }),
        fc.constantFrom(...ZONES),
        (tMs, zone) => {
          const t = DateTime.fromMillis(tMs, { zone });
          const f = localFieldsAt(tMs, zone);
          expect([f.minuteOfDay, f.weekday, f.month]).toEqual([t.hour * 60 + t.minute, t.weekday, t.month]);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('is exact in the hours around a transition', () => {
    // Europe/London went to summer time at 01:00 UTC on 2026-03-29.
    const at = Date.UTC(2026, 2, 29, 1, 0);
    for (let t = at - 2 * 3_600_000; t <= at + 2 * 3_600_000; t += 15 * 60_000) {
      const l = DateTime.fromMillis(t, { zone: 'Europe/London' });
      expect(localFieldsAt(t, 'Europe/London').minuteOfDay).toBe(l.hour * 60 + l.minute);
    }
  });
});
