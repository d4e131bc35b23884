import { describe, expect, it } from 'vitest';
import type { SpaceMetrics } from '../../../src/sim/bench/metrics.js';
import type { ArmResult } from '../../../src/sim/bench/run-arm.js';
import { formatScenarioTable, judgeScenario } from '../../../src/sim/bench/scenario-report.js';
import { spaceMetrics } from './space-metrics-fixture.js';

const space = spaceMetrics;

function arm(spaces: SpaceMetrics[]): ArmResult {
  return {
    metrics: { spaces, communityPeakKW: 0, days: 7 },
    controllers: {} as ArmResult['controllers'],
    outOfBounds: 0,
    outOfBoundsExamples: [],
  };
}

describe('judgeScenario', () => {
  const fixed = arm([space('lobby', true, 10, 90, 5), space('corridor', false, 50, 0)]);
  const quietwatt = arm([space('lobby', true, 8, 60, 4), space('corridor', false, 20, 0)]);
  const v = judgeScenario(fixed, quietwatt);

  it("gives HVAC's share of the saving only where there is HVAC", () => {
    const lobby = v.rows.find((r) => r.label === 'lobby');
    const corridor = v.rows.find((r) => r.label === 'corridor');
    // Lobby: 32 kWh saved, 30 of them by the unit.
    expect(lobby?.hvacSharePct).toBeCloseTo((100 * 30) / 32, 9);
    expect(corridor?.hvacSharePct).toBeUndefined();
    // Total: 62 kWh saved, 30 by HVAC.
    expect(v.total.hvacSharePct).toBeCloseTo((100 * 30) / 62, 9);
    const corridorLine = formatScenarioTable(v)
      .split('\n')
      .find((l) => l.startsWith('| corridor '));
    expect(corridorLine?.split('|')[5]?.trim()).toBe('—');
  });

  it('passes the targets only with 30 % saved, no worse discomfort and no under-lit hour', () => {
    expect(v.total.savedPct).toBeCloseTo((100 * 62) / 150, 9);
    expect(v).toMatchObject({ discomfortOk: true, underLitOk: true, energyOk: true });
    const warmer = judgeScenario(
      fixed,
      arm([space('lobby', true, 8, 60, 6), space('corridor', false, 20, 0)]),
    );
    expect(warmer.discomfortOk).toBe(false);
    expect(warmer.discomfortWorse).toEqual(['lobby 5.00 → 6.00 K·h']);
  });
});
