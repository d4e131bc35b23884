import { describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../src/adapters/config-file/load.js';
import type { QuietWattConfig } from '../../src/config/schema/index.js';
import { TARIFF_PRESETS } from '../../src/domain/tariff/presets.js';
import { compare } from '../../src/sim/bench/report.js';
import { runArm } from '../../src/sim/bench/run-arm.js';

/**
 * The savings bench's invariants on a short seeded run (the full four-week bench stays out of CI):
 * two summer days of the demo community, once on its fixed schedules and once under QuietWatt in
 * active mode, over the in-process bus to the simulated controllers.
 */
describe('closed loop: two seeded days, fixed schedules vs QuietWatt', () => {
  it.each([
    ['the control and sensor services', 'quietwatt'],
    ['the planner and safety layer driven directly', 'core'],
  ] as const)(
    '%s: no more discomfort, no under-lit occupied hour, setpoints in bounds, no more energy',
    async (_label, arm) => {
      const loaded = loadConfigFile('config/default.yaml');
      if (!loaded.ok) throw new Error('config/default.yaml does not load');
      const base = structuredClone(loaded.config) as QuietWattConfig;
      const config: QuietWattConfig = {
        ...base,
        control: { ...base.control, defaultMode: 'active', spaces: [] },
      };
      const tariff = TARIFF_PRESETS.find((t) => t.id === config.tariffs.defaultTariff) ?? TARIFF_PRESETS[0];
      if (!tariff) throw new Error('no tariff');
      const common = { config, tariff, startMs: Date.UTC(2026, 6, 5, 16), days: 2, learnDays: 3 };
      const fixed = await runArm({ ...common, arm: 'fixed' });
      const qw = await runArm({ ...common, arm });
      const c = compare([fixed.metrics], [qw.metrics]);

      expect(qw.outOfBounds, qw.outOfBoundsExamples.join('; ')).toBe(0);
      expect(qw.controllers.rejected).toBe(0);
      expect(qw.dispatcher?.published ?? 0).toBeGreaterThan(100);
      expect(qw.dispatcher?.acknowledged ?? 0).toBeGreaterThan(0);
      // The same people, weather and resident overrides in both arms.
      expect(qw.controllers.overrides).toBe(fixed.controllers.overrides);
      expect(qw.metrics.spaces.map((s) => s.occupiedHours)).toEqual(
        fixed.metrics.spaces.map((s) => s.occupiedHours),
      );

      for (const row of c.rows)
        expect(row.quietwattDiscomfortKh, row.label).toBeLessThanOrEqual(row.fixedDiscomfortKh + 1e-6);
      expect(c.controllable.quietwattUnderLitH).toBe(0);
      expect(c.controllable.quietwattKWh).toBeLessThanOrEqual(c.controllable.fixedKWh);
      expect(c.metered.quietwattKWh).toBeLessThanOrEqual(c.metered.fixedKWh);
    },
    180_000,
  );
});
