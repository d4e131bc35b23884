import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { parseTable } from '../../../src/adapters/csv/layouts.js';
import { readTables } from '../../../src/adapters/csv/read-meter-csv.js';

const H = 3_600_000;

describe('local-time CSV round trip (property)', () => {
  it('any contiguous UTC span written as local wall time reads back to the same grid and values', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(
          'Europe/London',
          'America/New_York',
          'Europe/Rome',
          'Asia/Shanghai',
          'Australia/Sydney',
        ),
        // Start anywhere in 2019-2020 (so DST changes are often inside), 2..120 hours long.
        fc.integer({ min: 0, max: 2 * 365 * 24 }),
        fc.integer({ min: 2, max: 120 }),
        (zone, startHour, hours) => {
          const start = Date.UTC(2019, 0, 1) + startHour * H;
          // A file that begins in the second run of a fall-back's repeated hour cannot say which of
          // the two it means (its first line reads the same as the hour before); the reader takes
          // the first, so such a start is left out.
          const wallOf = (t: number) => DateTime.fromMillis(t, { zone }).toFormat('yyyy-MM-dd HH:mm');
          fc.pre(wallOf(start) !== wallOf(start - H));
          const lines = ['timestamp,kWh'];
          for (let i = 0; i < hours; i++) {
            const wall = DateTime.fromMillis(start + i * H, { zone }).toFormat('yyyy-MM-dd HH:mm');
            lines.push(`${wall},${i + 1}`);
          }
          const r = readTables([parseTable(`${lines.join('\n')}\n`)], { timestampTimeZone: zone });
          expect(r.series.tsMs).toEqual(Array.from({ length: hours }, (_, i) => start + i * H));
          expect(r.series.kWh).toEqual(Array.from({ length: hours }, (_, i) => i + 1));
        },
      ),
      { numRuns: 200 },
    );
  });
});
