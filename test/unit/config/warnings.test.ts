import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { configCheck } from '../../../src/cli/commands/config-check.js';
import { QuietWattConfig } from '../../../src/config/schema/index.js';
import { configWarnings } from '../../../src/config/warnings.js';
import { logConfigWarnings } from '../../../src/main/config-watch.js';
import { captureLogger } from '../../helpers/logger.js';
import { minimalConfig, tempDir } from './helpers.js';

type Cfg = ReturnType<typeof minimalConfig>;

/** The minimal config with an air conditioner in the hall and a gym that runs the same schedule. */
function withHvac(blocks: Record<string, unknown>[], control: Record<string, unknown> = {}): Cfg {
  const cfg = minimalConfig();
  cfg.schedules = [
    { id: 'hall-lighting', kind: 'lighting', defaultLevelPct: 100 },
    { id: 'hall-hvac', kind: 'hvac', blocks },
  ];
  const site = cfg.sites[0] as { spaces: Record<string, unknown>[] };
  const hall = site.spaces[0] as { devices: Record<string, unknown>[] };
  hall.devices.push({ id: 'hall-ac', kind: 'hvac', schedule: 'hall-hvac', ratedPowerW: 3000 });
  site.spaces.push({
    id: 'gym',
    type: 'gym',
    areaM2: 80,
    devices: [{ id: 'gym-ac', kind: 'hvac', schedule: 'hall-hvac', ratedPowerW: 3000 }],
  });
  cfg.control = control;
  return cfg;
}

const warningsOf = (cfg: Cfg) => configWarnings(QuietWattConfig.parse(cfg));

describe('config warnings: schedules beyond the setpoint limits', () => {
  it('names the schedule, the block, the spaces, both values and the clamp', () => {
    const w = warningsOf(withHvac([{ from: '07:00', to: '22:00', mode: 'cool', setpointC: 24 }]));
    expect(w).toHaveLength(1);
    expect(w[0]?.path).toBe('schedules[1].blocks[0].setpointC');
    const m = w[0]?.message ?? '';
    expect(m).toContain('schedule "hall-hvac", block 07:00-22:00 (cool)');
    expect(m).toContain('cooling setpoint of 24 °C');
    expect(m).toContain('limit of 26 °C (control.comfort.coolSetpointMinC)');
    expect(m).toContain('test-court/hall, test-court/gym');
    expect(m).toContain('clamps 24 °C to 26 °C in commissioning and whenever it hands the devices back');
  });

  it('warns about a heating setpoint warmer than the heating limit, not about setpoints within', () => {
    const w = warningsOf(
      withHvac([
        { months: [12, 1, 2], from: '07:00', to: '22:00', mode: 'heat', setpointC: 22 },
        { months: [6, 7, 8], from: '07:00', to: '22:00', mode: 'cool', setpointC: 26 },
        { months: [3, 4], from: '07:00', to: '22:00', mode: 'heat', setpointC: 20 },
        { months: [5], from: '07:00', to: '22:00', mode: 'fan' },
      ]),
    );
    expect(w.map((x) => x.path)).toEqual(['schedules[1].blocks[0].setpointC']);
    expect(w[0]?.message).toContain(
      'heating setpoint of 22 °C, warmer than the heating setpoint limit of 20 °C',
    );
  });

  it('follows a space type that lowers its limit: only the spaces still limited are named', () => {
    const control = { spaceTypes: { gym: { comfort: { coolSetpointMinC: 24 } } } };
    const w = warningsOf(withHvac([{ from: '07:00', to: '22:00', mode: 'cool', setpointC: 24 }], control));
    expect(w).toHaveLength(1);
    expect(w[0]?.message).toContain('of test-court/hall:');
    expect(w[0]?.message).not.toContain('gym');
  });

  it('nothing when the site lowers its limits to the schedule', () => {
    const control = { comfort: { coolSetpointMinC: 24 } };
    expect(
      warningsOf(withHvac([{ from: '07:00', to: '22:00', mode: 'cool', setpointC: 24 }], control)),
    ).toEqual([]);
  });

  it('an auto block counts with its dead band', () => {
    // auto 24 °C -> heat 23 °C (above 20) and cool 25 °C (below 26).
    const w = warningsOf(withHvac([{ from: '07:00', to: '22:00', mode: 'auto', setpointC: 24 }]));
    expect(w).toHaveLength(2);
    expect(w[0]?.message).toContain('heating setpoint of 23 °C (auto 24 °C: its heat side)');
    expect(w[1]?.message).toContain('cooling setpoint of 25 °C (auto 24 °C: its cool side)');
  });

  it("warns about a device's own fallback, and not about a schedule no device runs", () => {
    const cfg = withHvac([]);
    (cfg.schedules as Record<string, unknown>[]).push({
      id: 'unused',
      kind: 'hvac',
      blocks: [{ from: '07:00', to: '22:00', mode: 'cool', setpointC: 22 }],
    });
    const site = cfg.sites[0] as { spaces: { devices: Record<string, unknown>[] }[] };
    site.spaces[1]?.devices.push({
      id: 'gym-ac2',
      kind: 'hvac',
      ratedPowerW: 3000,
      fallback: { mode: 'cool', setpointC: 25 },
    });
    const w = warningsOf(cfg);
    expect(w.map((x) => x.path)).toEqual(['sites[0].spaces[1].devices[1].fallback.setpointC']);
    expect(w[0]?.message).toContain('the fallback of device "gym-ac2" (cool)');
  });
});

describe('config warnings: covering filters', () => {
  it('names a covering filter that takes no configured topic, and not one that takes some', () => {
    const cfg = minimalConfig();
    // The minimal config's hall meter publishes on meters/test/hall/lighting; the site's outdoor
    // temperature, set here, on weather/test/outdoor.
    (cfg.sites[0] as Record<string, unknown>).outdoorTemperatureTopic = 'weather/test/outdoor';
    cfg.mqtt = { coveringFilters: ['meters/test/hall/+', 'sitee-a/meters/+', 'weather/+/outdoor'] };
    expect(warningsOf(cfg)).toEqual([
      {
        path: 'mqtt.coveringFilters[1]',
        message:
          'covering filter "sitee-a/meters/+" takes no meter, sensor or device topic of this config: the broker will deliver everything under it and the service will drop it all',
      },
    ]);
  });
});

describe('quietwatt config check prints the warnings', () => {
  const scratch = tempDir();
  afterAll(() => scratch.cleanup());

  it('a valid file with a 24 °C schedule: exit 0, the count in the summary, one warning line', async () => {
    const file = join(scratch.dir, 'cold.yaml');
    writeFileSync(file, stringify(withHvac([{ from: '07:00', to: '22:00', mode: 'cool', setpointC: 24 }])));
    const log: string[] = [];
    const error: string[] = [];
    const code = await configCheck(file, { log: (l) => log.push(l), error: (l) => error.push(l) });
    expect(code).toBe(0);
    expect(log).toHaveLength(1);
    expect(log[0]).toMatch(/valid: .*; 1 warning\(s\)$/);
    expect(error).toHaveLength(1);
    expect(error[0]).toMatch(
      /cold\.yaml: schedules\[1\]\.blocks\[0\]\.setpointC: warning: schedule "hall-hvac"/,
    );
    expect(error[0]).not.toContain('\n');
  });
});

describe('the running service logs the same warnings', () => {
  it('one warning line per finding, with its path', () => {
    const log = captureLogger();
    logConfigWarnings(
      QuietWattConfig.parse(withHvac([{ from: '07:00', to: '22:00', mode: 'cool', setpointC: 24 }])),
      log,
    );
    const warned = log.lines.filter((l) => l.level === 'warn');
    expect(warned).toHaveLength(1);
    expect(warned[0]?.obj).toMatchObject({ path: 'schedules[1].blocks[0].setpointC' });
    expect(String(warned[0]?.msg)).toContain('hall-hvac');
  });
});
