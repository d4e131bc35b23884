import { describe, expect, it } from 'vitest';
import { VerificationConfig } from '../../../src/config/schema/analytics.js';
import { ControlConfig } from '../../../src/config/schema/control.js';
import { planSettingsHash } from '../../../src/services/savings/plan-settings.js';
import { ensurePeriod, loadPeriods, periodOn } from '../../../src/services/savings/verification-periods.js';
import { MemoryKeyValueStore } from '../../helpers/fakes/memory-small-stores.js';

const config = VerificationConfig.parse({});

describe('automatic verification periods', () => {
  it('starts one design when a site goes active, keeps it for the same settings, and starts a new one when they change', () => {
    const kv = new MemoryKeyValueStore();
    const first = ensurePeriod(kv, config, 'maple', '2026-07-01', 'hash-a', 1);
    expect(first).toMatchObject({ started: true, reason: 'first', period: { id: 'maple:v1:2026-07-01' } });
    expect(ensurePeriod(kv, config, 'maple', '2026-07-09', 'hash-a', 2)).toEqual({ started: false });
    const second = ensurePeriod(kv, config, 'maple', '2026-07-20', 'hash-b', 3);
    expect(second).toMatchObject({ started: true, reason: 'planner', period: { id: 'maple:v2:2026-07-20' } });
    const periods = loadPeriods(kv, 'maple');
    expect(periods.map((p) => [p.id, p.endDate, p.planHash])).toEqual([
      ['maple:v1:2026-07-01', '2026-07-20', 'hash-a'],
      ['maple:v2:2026-07-20', undefined, 'hash-b'],
    ]);
    expect(periodOn(periods, '2026-06-30')).toBeUndefined();
    expect(periodOn(periods, '2026-07-19')?.id).toBe('maple:v1:2026-07-01');
    expect(periodOn(periods, '2026-07-20')?.id).toBe('maple:v2:2026-07-20');
  });

  it('runs the configured share of days on the building schedule, every weekday in both arms', () => {
    const kv = new MemoryKeyValueStore();
    const outcome = ensurePeriod(kv, config, 'maple', '2026-07-06', 'h', 0);
    if (!outcome.started) throw new Error('expected a period');
    const days = outcome.period.design.days;
    expect(days).toHaveLength(config.weeks * 7);
    const control = days.filter((d) => d.arm === 'control');
    expect(control.length / days.length).toBeCloseTo(config.controlShare, 9);
    for (let weekday = 1; weekday <= 7; weekday++) {
      expect(new Set(days.filter((d) => d.weekday === weekday).map((d) => d.arm)).size).toBe(2);
    }
  });

  it('hashes the settings that shape plans, not the space modes', () => {
    const base = ControlConfig.parse({});
    const h = planSettingsHash(base, []);
    expect(
      planSettingsHash({ ...base, defaultMode: 'active', spaces: [{ space: 'lobby', mode: 'off' }] }, []),
    ).toBe(h);
    expect(planSettingsHash({ ...base, overrideHoldMinutes: base.overrideHoldMinutes + 30 }, [])).not.toBe(h);
    expect(planSettingsHash(base, [{ id: 'office', weekdays: [] }])).not.toBe(h);
  });
});
