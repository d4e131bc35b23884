import { describe, expect, it } from 'vitest';
import { RESTART_REQUIRED_CODE } from '../../../src/config/restart-required.js';
import type { QuietWattConfig } from '../../../src/config/schema/index.js';
import { ConfigReloader, RELOAD_FAILED_CODE, type ReloadStep } from '../../../src/main/reload.js';
import { captureLogger } from '../../helpers/logger.js';
import { testConfig } from '../forecast-service/fixture.js';

/** A reloader over steps that record which config each was handed, by its default mode. */
function setup(failing: { apply?: string; rollBack?: string } = {}) {
  const running = testConfig({ control: { defaultMode: 'shadow' } });
  let inForce: Readonly<QuietWattConfig> = running;
  const calls: string[] = [];
  const refused: { code: string; message: string }[][] = [];
  const runningAfter: ('kept' | 'mixed' | undefined)[] = [];
  let accepted = 0;
  const log = captureLogger();
  const step = (name: string): ReloadStep => ({
    name,
    apply: async (c) => {
      const to = c.control.defaultMode;
      calls.push(`${name}:${to}`);
      if (to === 'active' && failing.apply === name) throw new Error(`${name} is out of order`);
      if (to === 'shadow' && failing.rollBack === name) throw new Error(`${name} will not go back`);
    },
  });
  const reloader = new ConfigReloader({
    file: 'site.yaml',
    steps: ['ingest', 'forecast', 'control', 'savings'].map(step),
    running: () => inForce,
    commit: (c) => {
      inForce = c;
    },
    log,
    reloads: {
      refused: (errors, how) => {
        refused.push([...errors]);
        runningAfter.push(how);
      },
      accepted: () => accepted++,
    },
  });
  return {
    running,
    inForce: () => inForce,
    calls,
    refused,
    how: runningAfter,
    accepted: () => accepted,
    log,
    reloader,
  };
}

const next = () => testConfig({ control: { defaultMode: 'active' } });
const messages = (log: ReturnType<typeof captureLogger>) => log.lines.map((l) => l.msg);

describe('ConfigReloader', () => {
  it('hands the new config to every service in turn and says so only after the last', async () => {
    const t = setup();
    const outcome = await t.reloader.reload(next());
    expect(outcome).toEqual({ kind: 'applied', services: ['ingest', 'forecast', 'control', 'savings'] });
    expect(t.calls).toEqual(['ingest:active', 'forecast:active', 'control:active', 'savings:active']);
    expect(t.inForce().control.defaultMode).toBe('active');
    expect(t.accepted()).toBe(1);
    expect(messages(t.log)).toEqual(['config reloaded']);
  });

  it('refuses a change to a restart-only field with the reason; no service is touched', async () => {
    const t = setup();
    const outcome = await t.reloader.reload(
      testConfig({ control: { defaultMode: 'active' }, mqtt: { url: 'mqtt://elsewhere:1883' } }),
    );
    expect(outcome.kind).toBe('restart-required');
    expect(t.calls).toEqual([]);
    expect(t.inForce()).toBe(t.running);
    expect(t.refused).toHaveLength(1);
    expect(t.refused[0]?.[0]?.code).toBe(RESTART_REQUIRED_CODE);
    expect(t.refused[0]?.[0]?.message).toMatch(
      /^site\.yaml: mqtt\.url: changing it needs a restart \(the broker/,
    );
    expect(messages(t.log)).not.toContain('config reloaded');
  });

  it('a service that fails: those that took the change get the running config back; refused, naming it', async () => {
    const t = setup({ apply: 'control' });
    const outcome = await t.reloader.reload(next());
    expect(outcome).toMatchObject({ kind: 'failed', service: 'control', stillNew: [] });
    expect(t.how).toEqual(['kept']);
    expect(t.calls).toEqual([
      'ingest:active',
      'forecast:active',
      'control:active',
      'control:shadow',
      'forecast:shadow',
      'ingest:shadow',
    ]);
    expect(t.inForce()).toBe(t.running);
    expect(t.accepted()).toBe(0);
    expect(t.refused[0]).toEqual([
      {
        code: RELOAD_FAILED_CODE,
        message:
          'site.yaml: the control service could not take the change (control is out of order); every service runs the previous config',
      },
    ]);
    expect(messages(t.log)).not.toContain('config reloaded');
  });

  it('says which services still run the new config when handing the old one back fails too', async () => {
    const t = setup({ apply: 'control', rollBack: 'forecast' });
    const outcome = await t.reloader.reload(next());
    expect(outcome).toMatchObject({ kind: 'failed', service: 'control', stillNew: ['forecast'] });
    expect(t.refused[0]?.[0]?.message).toMatch(
      /forecast could not be handed the previous config back and still run/,
    );
    expect(t.how).toEqual(['mixed']);
  });

  it('runs reloads one at a time, in order', async () => {
    const t = setup();
    const first = t.reloader.reload(next());
    const second = t.reloader.reload(testConfig({ control: { defaultMode: 'off' } }));
    await Promise.all([first, second]);
    expect(t.calls.slice(0, 4).every((c) => c.endsWith(':active'))).toBe(true);
    expect(t.calls.slice(4).every((c) => c.endsWith(':off'))).toBe(true);
    expect(t.inForce().control.defaultMode).toBe('off');
  });
});
