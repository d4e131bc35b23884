import { describe, expect, it } from 'vitest';
import { occupancyProbabilityFromHistory, type PresenceChange } from '../../../src/domain/planning/index.js';

const HOUR = 3_600_000;
// Monday 2026-06-01 00:00 in Shanghai.
const MON = Date.UTC(2026, 4, 31, 16, 0, 0);

/** Four weeks: weekdays occupied 08:00-10:00 local, weekends empty. */
function history(): PresenceChange[] {
  const out: PresenceChange[] = [];
  for (let d = 0; d < 28; d++) {
    if (d % 7 >= 5) continue;
    out.push({ tsMs: MON + d * 24 * HOUR + 8 * HOUR, occupied: true });
    out.push({ tsMs: MON + d * 24 * HOUR + 10 * HOUR, occupied: false });
  }
  return out;
}

describe('occupancyProbabilityFromHistory', () => {
  const to = MON + 28 * 24 * HOUR;

  it('learns the weekday pattern in local time', () => {
    const p = occupancyProbabilityFromHistory(history(), MON, to, to, 'Asia/Shanghai');
    // Plan starts Monday 00:00 of week 5: slot 32 = 08:00, 39 = 09:45, 40 = 10:00.
    expect(p[32]).toBeCloseTo(0.9, 6); // 4 of 4 weeks, prior 0.5 with weight 1
    expect(p[39]).toBeCloseTo(0.9, 6);
    expect(p[40]).toBeCloseTo(0.1, 6);
    expect(p[10]).toBeCloseTo(0.1, 6);
  });

  it('falls back to the prior without history', () => {
    const p = occupancyProbabilityFromHistory([], to, to, to, 'Asia/Shanghai');
    expect(p).toHaveLength(96);
    expect(new Set(p)).toEqual(new Set([0.5]));
  });

  it('keeps weekends apart', () => {
    const saturday = to + 5 * 24 * HOUR;
    const p = occupancyProbabilityFromHistory(history(), MON, to, saturday, 'Asia/Shanghai');
    expect(p[32]).toBeCloseTo(0.1, 6);
  });

  it('counts a short visit inside a slot', () => {
    const visit = [
      { tsMs: MON + 12 * HOUR + 60_000, occupied: true },
      { tsMs: MON + 12 * HOUR + 120_000, occupied: false },
    ];
    const p = occupancyProbabilityFromHistory(
      visit,
      MON,
      MON + 7 * 24 * HOUR,
      MON + 7 * 24 * HOUR,
      'Asia/Shanghai',
    );
    expect(p[48]).toBeCloseTo(0.75, 6);
    expect(p[49]).toBeCloseTo(0.25, 6);
  });
});
