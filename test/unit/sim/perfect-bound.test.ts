import { describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../../src/adapters/config-file/load.js';
import type { QuietWattConfig } from '../../../src/config/schema/index.js';
import { TARIFF_PRESETS } from '../../../src/domain/tariff/presets.js';
import type { Tariff } from '../../../src/domain/tariff/types.js';
import type { LpSolver } from '../../../src/ports/lp-solver.js';
import { BoundRecorder } from '../../../src/sim/bench/bound-recorder.js';
import { formatBoundTable } from '../../../src/sim/bench/bound-report.js';
import { blockDiscomfortKh } from '../../../src/sim/bench/hvac-bound.js';
import { solveBounds } from '../../../src/sim/bench/perfect-bound.js';
import { runArm } from '../../../src/sim/bench/run-arm.js';
import { EXTREME_SCENARIOS, scenarioConfig } from '../../../src/sim/bench/scenarios.js';
import { buildCommunityModel } from '../../../src/sim/model/build.js';
import { solveInThread } from '../../helpers/highs.js';

async function inThreadSolver(): Promise<LpSolver> {
  const solve = await solveInThread();
  return {
    solve: async (requests) => requests.map((r) => ({ id: r.id, ...solve(r.lpText), solveMs: 0 })),
    close: async () => {},
  };
}

const loaded = loadConfigFile('config/default.yaml');
if (!loaded.ok) throw new Error('the default config does not load');
const base: QuietWattConfig = {
  ...loaded.config,
  control: { ...loaded.config.control, defaultMode: 'active', spaces: [] },
};
const tariff = [...(base.tariffs.tariffs as readonly Tariff[]), ...TARIFF_PRESETS].find(
  (t) => t.id === base.tariffs.defaultTariff,
) as Tariff;

describe.each(EXTREME_SCENARIOS)('the perfect-knowledge bound of the $name', (s) => {
  it('records the run faithfully and lies below the schedule it was given', async () => {
    const config = scenarioConfig(base, s, 'schedule');
    const recorder = new BoundRecorder(
      buildCommunityModel(config, { episode: s.episode }),
      config,
      s.designMode,
    );
    const fixed = await runArm({
      config,
      arm: 'fixed',
      tariff,
      startMs: s.startMs,
      days: 2,
      learnDays: 1,
      episode: s.episode,
      onStep: (before, after) => recorder.observe(before, after),
    });
    const inputs = recorder.finish();
    const conditioned = fixed.metrics.spaces.filter((m) => m.conditioned);
    expect(conditioned.length).toBeGreaterThan(0);
    for (const m of conditioned) {
      const i = inputs.find((x) => x.spaceKey === m.spaceKey);
      if (!i?.hvac || !i.recordedC) throw new Error(`no HVAC inputs for ${m.spaceKey}`);
      expect(i.hvac.blocks).toHaveLength(2 * 24 * 12);
      // The recorded path, read on the blocks, gives the bench's own discomfort figure.
      expect(
        blockDiscomfortKh(i.hvac.blocks, i.recordedC, i.hvac.comfortLowC, i.hvac.comfortHighC),
      ).toBeCloseTo(m.discomfortKh, 1);
      expect(i.hvac.limitC).toBe(s.designMode === 'heat' ? 22 : 24);
    }
    const allowance = new Map(conditioned.map((m) => [m.spaceKey, m.discomfortKh]));
    const bounds = await solveBounds(inputs, allowance, await inThreadSolver());
    for (const m of fixed.metrics.spaces) {
      const b = bounds.find((x) => x.spaceKey === m.spaceKey);
      if (!b) throw new Error(`no bound for ${m.spaceKey}`);
      if (m.conditioned) {
        expect(b.status).toBe('Optimal');
        expect(b.hvacKWh ?? Number.POSITIVE_INFINITY).toBeLessThanOrEqual(m.hvacKWh);
        expect(b.hvacKWh ?? 0).toBeGreaterThan(0);
      } else expect(b.status).toBeUndefined();
      const lightingKWh = m.lightingKWh + (m.conditioned ? 0 : m.hvacKWh) - m.lifeSafetyKWh;
      expect(b.lightingKWh).toBeLessThanOrEqual(lightingKWh + 1e-9);
      // Lights held after people leave can only use more than lights that know they left.
      expect(b.heldLightingKWh).toBeGreaterThanOrEqual(b.lightingKWh);
    }
    const table = formatBoundTable(fixed.metrics.spaces, bounds);
    expect(table.find((l) => l.startsWith('| total, controllable'))).toMatch(/\| \d+\.\d % \|/);
    expect(table.at(-2)).toMatch(/no controller could have saved more than \d+\.\d %/);
    expect(table.at(-1)).toMatch(
      /presence hold .* lighting needs at least \d+\.\d kWh, and at most \d+\.\d % could be saved/,
    );
    const transit = bounds.find((b) => b.spaceKey.endsWith('corridor-b3-f12'));
    expect(transit?.heldLightingKWh ?? 0).toBeGreaterThan(transit?.lightingKWh ?? 0);
  });
});
