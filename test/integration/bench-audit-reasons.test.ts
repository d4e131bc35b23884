import { describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../src/adapters/config-file/load.js';
import type { QuietWattConfig } from '../../src/config/schema/index.js';
import { TARIFF_PRESETS } from '../../src/domain/tariff/presets.js';
import type { SetpointAuditEntry } from '../../src/ports/stores.js';
import { runArm } from '../../src/sim/bench/run-arm.js';

/**
 * Every HVAC setpoint QuietWatt decides in a bench run is explained in the audit log: the reason
 * says which rule chose the value (occupied, presence, setback, optimal start, pre-cooling, early
 * stop, after hours, off), what the predictive plan predicts, or why the device went back to its
 * schedule, and fits the setpoint
 * contract's 200 characters. One seeded summer day of the demo community, services arm.
 */
const REASON_FORMS: readonly RegExp[] = [
  /^occupied \(forecast \d+%\): schedule setpoint -?\d+(\.\d)? °C/,
  /^presence: schedule setpoint -?\d+(\.\d)? °C/,
  /^low occupancy \(forecast \d+%\): relaxed to -?\d+(\.\d)? °C within the band/,
  /^unoccupied \(forecast \d+%\): setback to band edge -?\d+(\.\d)? °C/,
  /^unoccupied: off, the space stays inside the band edge/,
  /^after hours: off, the space stays inside the band edge/,
  /^people here since before the scheduled hours ended: kept within/,
  /^optimal start: /,
  /^pre-(cooling|heating) to -?\d+(\.\d)? °C in a cheaper tariff period/,
  /^early stop: coast inside the band for the last/,
  /^outside scheduled hours: off$/,
  /^no cooling or heating scheduled$/,
  /^hand-back: \S/,
  // The predictive planner's: the planned setpoint with its output share, idle, off, pre-conditioning.
  /^predictive: -?\d+(\.\d)? °C \(\d+% output\), within the band by the margin$/,
  /^predictive: idle at -?\d+(\.\d)? °C, -?\d+(\.\d)? °C predicted$/,
  /^predictive: off, -?\d+(\.\d)? °C predicted$/,
  /^predictive: off, -?\d+(\.\d)? °C predicted \(\d+% output planned, given as whole slots\)$/,
  /^pre-(cool|heat) to -?\d+(\.\d)? °C \(\d+% output\): (-?\d+(\.\d)? °C predicted in \d+ min at full capacity without it|cheaper now than later in the tariff)$/,
];

describe('audit log of a bench run', () => {
  it('carries a reason for every HVAC setpoint, in one of the planner forms, within 200 characters', async () => {
    const loaded = loadConfigFile('config/default.yaml');
    if (!loaded.ok) throw new Error('config/default.yaml does not load');
    const base = structuredClone(loaded.config) as QuietWattConfig;
    const config: QuietWattConfig = {
      ...base,
      control: { ...base.control, defaultMode: 'active', spaces: [] },
    };
    const tariff = TARIFF_PRESETS.find((t) => t.id === config.tariffs.defaultTariff) ?? TARIFF_PRESETS[0];
    if (!tariff) throw new Error('no tariff');
    let audit: readonly SetpointAuditEntry[] = [];
    await runArm({
      config,
      tariff,
      arm: 'quietwatt',
      startMs: Date.UTC(2026, 6, 5, 16),
      days: 1,
      learnDays: 1,
      onAudit: (entries) => {
        audit = entries;
      },
    });

    const hvac = audit.filter((e) => e.kind === 'hvac');
    const forms = new Map<string, number>();
    for (const e of hvac) {
      const form = e.reason.replace(/-?[\d.]+/g, '#').slice(0, 60);
      forms.set(form, (forms.get(form) ?? 0) + 1);
    }
    console.info(`audit: ${audit.length} rows, ${hvac.length} HVAC`, JSON.stringify([...forms]));
    const published = hvac.filter((e) => e.publishedAtMs !== null);
    expect(published.length).toBeGreaterThan(10);
    const unexplained = hvac.filter(
      (e) => e.reason.trim() === '' || e.reason.length > 200 || !REASON_FORMS.some((f) => f.test(e.reason)),
    );
    expect(
      unexplained.map((e) => `${e.spaceId}/${e.deviceId} ${e.valueJson}: "${e.reason}"`),
      `${hvac.length} HVAC rows`,
    ).toEqual([]);
    // The reason names the value it explains: a setpoint reason never says "off" for a running unit.
    for (const e of hvac) {
      const value = JSON.parse(e.valueJson) as { mode: string };
      if (value.mode === 'cool' || value.mode === 'heat') expect(e.reason, e.reason).not.toMatch(/: off\b/);
    }
    // The rules that run the units are all in the day: occupied hours and an early start at least.
    const running = hvac.filter((e) => /"mode":"(cool|heat)"/.test(e.valueJson));
    expect(
      running.some((e) => /^(occupied|presence|predictive: -?\d)/.test(e.reason)),
      'a running unit explained by occupancy or the predictive plan',
    ).toBe(true);
  }, 120_000);
});
