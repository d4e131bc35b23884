import { describe, expect, it } from 'vitest';
import { formatBoundTable } from '../../../src/sim/bench/bound-report.js';
import type { SpaceBound } from '../../../src/sim/bench/perfect-bound.js';
import { spaceMetrics } from './space-metrics-fixture.js';

const space = (key: string, lightingKWh: number, hvacKWh: number, conditioned: boolean) =>
  spaceMetrics(key, conditioned, lightingKWh, hvacKWh);

const bound = (key: string, lightingKWh: number, hvacKWh?: number, status?: string): SpaceBound => ({
  spaceKey: `site/${key}`,
  lightingKWh,
  heldLightingKWh: lightingKWh + 5,
  hvacKWh,
  discomfortKh: status === undefined ? undefined : 10,
  status,
});

describe('the bound table', () => {
  const fixed = [space('lobby', 50, 150, true), space('corridor', 50, 0, false)];
  const qw = [space('lobby', 40, 140, true), space('corridor', 20, 0, false)];

  it('sums the bound and says how much of it QuietWatt reached', () => {
    const lines = formatBoundTable(fixed, [bound('lobby', 20, 100, 'Optimal'), bound('corridor', 10)], {
      spaces: qw,
      bounds: [bound('lobby', 20, 120, 'Optimal'), bound('corridor', 10)],
    });
    // Fixed 250 kWh, bound 130: 48 % could be saved; QuietWatt saved 20 %.
    expect(lines).toContain('| total, controllable | 250.0 | 130.0 | 48.0 % | 20.0 % | — | — |');
    expect(lines).toContain('| lobby | 200.0 | 120.0 | 40.0 % | 10.0 % | 150.0 → 100.0 | 140.0 → 120.0 |');
    expect(lines.some((l) => l.startsWith('No bound'))).toBe(false);
    expect(lines.join('\n')).toMatch(/QuietWatt saved 20\.0 %, 41\.7 % of that/);
    // Lights a sensor runs: 25 + 15 of lighting with the units' 100.
    expect(lines.at(-1)).toMatch(/needs at least 40\.0 kWh \(QuietWatt's: 60\.0 kWh\), and at most 44\.0 %/);
  });

  it('names the programs with no optimum, at the schedule and at QuietWatt', () => {
    const lines = formatBoundTable(
      fixed,
      [bound('lobby', 20, undefined, 'Infeasible'), bound('corridor', 10)],
      {
        spaces: qw,
        bounds: [bound('lobby', 20, undefined, 'Time limit reached'), bound('corridor', 10)],
      },
    );
    expect(lines).toContain('No bound for site/lobby (Infeasible).');
    expect(lines).toContain("No bound at QuietWatt's discomfort for site/lobby (Time limit reached).");
    expect(lines).toContain('| lobby | 200.0 | — | — | 10.0 % | 150.0 → — | 140.0 → — |');
    expect(lines.some((l) => l.startsWith('At the schedule'))).toBe(false);
  });
});
