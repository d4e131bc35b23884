import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assignDays,
  type DesignOptions,
  parseDesign,
  serializeDesign,
} from '../../../src/domain/savings/randomized-design.js';

const base: DesignOptions = {
  seed: 42,
  startDate: '2025-03-03',
  weeks: 12,
  treatedShare: 0.5,
  blockWeeks: 2,
  washoutHours: 3,
};

const optionsArb = fc.record({
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  startDate: fc.constantFrom('2025-03-03', '2025-03-05', '2024-12-28', '2026-10-20'),
  blockWeeks: fc.integer({ min: 2, max: 6 }),
  blocks: fc.integer({ min: 1, max: 5 }),
  treatedShare: fc.double({ min: 0.05, max: 0.95, noNaN: true }),
  washoutHours: fc.integer({ min: 0, max: 6 }),
});

describe('randomized assignment', () => {
  it('within every block each weekday is treated in exactly k of its weeks, and controlled in the rest', () => {
    fc.assert(
      fc.property(optionsArb, ({ blocks, ...o }) => {
        const design = assignDays({ ...o, weeks: blocks * o.blockWeeks });
        const k = Math.round(design.treatedShare * o.blockWeeks);
        expect(k).toBeGreaterThanOrEqual(1);
        expect(k).toBeLessThanOrEqual(o.blockWeeks - 1);
        expect(design.days).toHaveLength(blocks * o.blockWeeks * 7);
        for (let b = 0; b < blocks; b++) {
          for (let wd = 1; wd <= 7; wd++) {
            const days = design.days.filter(
              (d) => Math.floor(d.week / o.blockWeeks) === b && d.weekday === wd,
            );
            expect(days).toHaveLength(o.blockWeeks);
            expect(days.filter((d) => d.arm === 'treatment')).toHaveLength(k);
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it('keeps weeks balanced: with a 50 % share every week has 3 or 4 treated days', () => {
    const design = assignDays({ ...base, weeks: 20 });
    for (let w = 0; w < 20; w++) {
      const treated = design.days.filter((d) => d.week === w && d.arm === 'treatment').length;
      expect([3, 4]).toContain(treated);
    }
  });

  it('is reproducible from its seed and changes with it', () => {
    expect(assignDays(base)).toEqual(assignDays(base));
    const arms = (seed: number) =>
      assignDays({ ...base, seed })
        .days.map((d) => d.arm[0])
        .join('');
    expect(arms(1)).not.toBe(arms(2));
  });

  it('puts a washout after each switch of arm and nowhere else', () => {
    fc.assert(
      fc.property(optionsArb, ({ blocks, ...o }) => {
        const design = assignDays({ ...o, weeks: blocks * o.blockWeeks });
        let previous = 'control';
        for (const d of design.days) {
          expect(d.washoutHours).toBe(d.arm !== previous ? o.washoutHours : 0);
          previous = d.arm;
        }
      }),
      { numRuns: 40 },
    );
  });

  it('numbers weekdays from the local calendar date', () => {
    const design = assignDays(base); // 2025-03-03 is a Monday
    expect(design.days[0]).toMatchObject({ date: '2025-03-03', weekday: 1, week: 0 });
    expect(design.days[6]).toMatchObject({ date: '2025-03-09', weekday: 7, week: 0 });
    expect(design.days[7]).toMatchObject({ date: '2025-03-10', weekday: 1, week: 1 });
  });

  it('round-trips through JSON and rejects a corrupted file with the field named', () => {
    const design = assignDays(base);
    expect(parseDesign(serializeDesign(design))).toEqual(design);
    const bad = JSON.parse(serializeDesign(design));
    bad.days[3].arm = 'maybe';
    expect(() => parseDesign(JSON.stringify(bad))).toThrow(/days.*3.*arm/s);
    expect(() => parseDesign('{')).toThrow(/not JSON/);
  });

  it('rejects impossible options', () => {
    expect(() => assignDays({ ...base, treatedShare: 1 })).toThrow(/treatedShare/);
    expect(() => assignDays({ ...base, blockWeeks: 1 })).toThrow(/blockWeeks/);
    expect(() => assignDays({ ...base, washoutHours: 24 })).toThrow(/washoutHours/);
    expect(() => assignDays({ ...base, startDate: '3 March' })).toThrow(/startDate/);
  });
});
