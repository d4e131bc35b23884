import { describe, expect, it } from 'vitest';
import type { CommandEnvelope } from '../../../src/domain/commands/envelope.js';
import { AlertService } from '../../../src/services/operations/alert-service.js';
import { CommandService } from '../../../src/services/operations/command-service.js';
import { SpaceModes } from '../../../src/services/operations/space-modes.js';
import { MemoryAlertStore } from '../../helpers/fakes/memory-alert-store.js';
import { MemoryCommandLogStore } from '../../helpers/fakes/memory-command-log-store.js';
import { LOBBY_SET, LOBBY_STATE, MINUTE, rig, settle } from '../control/fakes.js';

let n = 0;
function cmd(over: Partial<CommandEnvelope> & Pick<CommandEnvelope, 'action'>): CommandEnvelope {
  n += 1;
  return { id: `c${n}`, target: {}, issuer: 'ops-anna', issuedAt: '2026-07-15T04:00:00Z', ...over };
}

function operations(control: Record<string, unknown> = {}) {
  const base = rig(control);
  const alerts = new AlertService({ store: new MemoryAlertStore(), clock: base.clock, log: base.log });
  const modes = new SpaceModes(base.settings, () => base.config.control, base.log);
  const r = rig(control, { settings: base.settings, clock: base.clock, deps: { modes, alerts } });
  const commandLog = new MemoryCommandLogStore();
  const commands = new CommandService({
    clock: r.clock,
    log: r.log,
    store: commandLog,
    modes,
    control: r.service,
    sites: () => r.config.sites,
    commissionWaitMs: 0,
    wait: () => settle(),
  });
  return { ...r, alerts, modes, commands, commandLog };
}

describe('CommandService', () => {
  it('set-mode: the operator mode wins over the config file, survives a restart and a reload, until reset-mode', async () => {
    const r = operations();
    await r.service.start();
    const res = await r.commands.execute(
      cmd({ action: 'set-mode', target: { siteId: 'site', spaceId: 'lobby' }, mode: 'shadow' }),
    );
    expect(res.status).toBe('done');
    expect(res.details[0]).toMatch(
      /^site\/lobby: mode shadow, set by ops-anna \(was active from the config file\)/,
    );
    expect(res.details).toContain('site/lobby: active -> shadow');
    const lobby = r.service.spaceStatus().find((s) => s.spaceId === 'lobby');
    expect(lobby).toMatchObject({ mode: 'shadow', modeSource: 'operator', modeSetBy: 'ops-anna' });
    expect(r.service.status().find((d) => d.deviceId === 'lobby-lights')?.mode).toBe('shadow');

    // A restart reads it back; a config that says otherwise does not override it.
    const again = new SpaceModes(r.settings, () => r.config.control, r.log);
    expect(again.modeOf('site', 'lobby')).toEqual({
      mode: 'shadow',
      source: 'operator',
      setBy: 'ops-anna',
      setAtMs: r.clock.now(),
    });
    const reloaded = { ...r.config.control, spaces: [{ space: 'lobby', mode: 'off' as const }] };
    expect(again.resolve(reloaded, 'site', 'lobby').mode).toBe('shadow');

    const reset = await r.commands.execute(
      cmd({ action: 'reset-mode', target: { siteId: 'site', spaceId: 'lobby' } }),
    );
    expect(reset.details[0]).toBe(
      "site/lobby: operator mode removed; the config file's mode applies: active",
    );
    expect(r.modes.modeOf('site', 'lobby')).toEqual({ mode: 'active', source: 'config' });
    await r.service.stop();
  });

  it('set-mode active commissions the devices that have not passed, exactly as at start', async () => {
    const r = operations({ defaultMode: 'shadow', requireCommissioning: true });
    await r.service.start();
    expect(r.bus.on(LOBBY_SET)).toEqual([]);
    const res = await r.commands.execute(
      cmd({ action: 'set-mode', target: { siteId: 'site', spaceId: 'lobby' }, mode: 'active' }),
    );
    expect(res.details).toContain('site/lobby/lobby-lights: commissioning started');
    await settle();
    expect(r.bus.on(LOBBY_SET).some((p) => p.payload.includes('"planId":"commissioning-lobby-lights"'))).toBe(
      true,
    );
    await r.service.stop();
  });

  it('a reload that makes a space active commissions its devices too', async () => {
    const r = operations({ defaultMode: 'shadow', requireCommissioning: true });
    await r.service.start();
    const control = { ...r.config.control, spaces: [{ space: 'lobby', mode: 'active' as const }] };
    await r.service.reconfigure({
      sites: r.config.sites,
      schedules: r.config.schedules,
      control,
      prefix: 'quietwatt',
    });
    await settle();
    expect(r.bus.on(LOBBY_SET).some((p) => p.payload.includes('"planId":"commissioning-lobby-lights"'))).toBe(
      true,
    );
    await r.service.stop();
  });

  it('refuses targets the config does not have, naming them, and audits every command with its issuer', async () => {
    const r = operations();
    await r.service.start();
    const answers = await Promise.all([
      r.commands.execute(
        cmd({ action: 'set-mode', target: { siteId: 'elm', spaceId: 'lobby' }, mode: 'off' }),
      ),
      r.commands.execute(cmd({ action: 'reset-mode', target: { siteId: 'site', spaceId: 'roof' } })),
      r.commands.execute(
        cmd({ action: 'commission', target: { siteId: 'site', spaceId: 'lobby', deviceId: 'lamp' } }),
      ),
      r.commands.execute(
        cmd({
          action: 'clear-override',
          target: { siteId: 'site', spaceId: 'garage', deviceId: 'garage-emergency' },
        }),
      ),
    ]);
    expect(answers.map((a) => [a.status, a.reason])).toEqual([
      ['refused', 'unknown site "elm"'],
      ['refused', 'unknown space "roof" in site "site"'],
      ['refused', 'unknown device "lamp" in space "site/lobby"'],
      ['refused', 'device "garage-emergency" is emergency-lighting: QuietWatt never controls it'],
    ]);
    // A device id alone names one device (ids are unique across the config): its site and space are filled in.
    const alone = await r.commands.execute(
      cmd({ action: 'commission', target: { deviceId: 'lobby-lights' } }),
    );
    expect(alone.details).toEqual(['site/lobby/lobby-lights: running']);
    const logged = r.commands.recentCommands({}).filter((e) => e.status === 'refused');
    expect(logged).toHaveLength(4);
    expect(logged.every((e) => e.issuer === 'ops-anna' && e.status === 'refused')).toBe(true);
    expect(logged[0]?.reason).toMatch(/garage-emergency/);
    await r.service.stop();
  });

  it('answers a redelivered command id once, without carrying it out twice', async () => {
    const r = operations();
    await r.service.start();
    const c = cmd({ action: 'release' });
    const first = await r.commands.execute(c);
    const second = await r.commands.execute(c);
    expect(second).toEqual(first);
    expect(r.commands.recentCommands({})).toHaveLength(1);
    await r.service.stop();
  });

  it('release and resume: kept across a restart, answered with the devices handed back', async () => {
    const r = operations();
    await r.service.start();
    await r.advance(MINUTE);
    const res = await r.commands.execute(cmd({ action: 'release' }));
    expect(res.status).toBe('done');
    expect(res.details[0]).toBe('every device handed back to its own schedule until resume');
    expect(res.details.some((d) => /^site\/lobby\/lobby-lights .+: handed back$/.test(d))).toBe(true);
    expect(r.service.releaseState().operator).toBe(true);
    const restarted = rig({}, { settings: r.settings, clock: r.clock });
    expect(restarted.service.releaseState().operator).toBe(true);
    const resumed = await r.commands.execute(cmd({ action: 'resume' }));
    expect(resumed.details).toEqual(['release lifted: QuietWatt resumes control']);
    expect(r.service.releaseState().operator).toBe(false);
    await r.service.stop();
  });

  it("clear-override ends a person's hold at once and clears its alert", async () => {
    const r = operations();
    await r.service.start();
    await r.advance(MINUTE);
    r.bus.deliver(LOBBY_STATE, JSON.stringify({ override: true }));
    await settle();
    const held = r.service.status().find((d) => d.deviceId === 'lobby-lights');
    expect(held?.overrideUntilMs).toBeGreaterThan(r.clock.now());
    expect(r.alerts.alerts({ kind: 'override' })).toHaveLength(1);

    const res = await r.commands.execute(
      cmd({ action: 'clear-override', target: { siteId: 'site', spaceId: 'lobby' } }),
    );
    expect(res.details).toEqual([
      'site/lobby/lobby-lights: override hold ended; QuietWatt controls it again',
    ]);
    expect(r.service.status().find((d) => d.deviceId === 'lobby-lights')?.overrideUntilMs).toBeUndefined();
    expect(r.alerts.alerts({ kind: 'override' })).toEqual([]);
    const none = await r.commands.execute(
      cmd({ action: 'clear-override', target: { siteId: 'site', spaceId: 'lobby' } }),
    );
    expect(none.details).toEqual(['site/lobby: no override hold was in force']);
    await r.service.stop();
  });

  it('commission: refused for a space that is not active; accepted while the check still runs; a failure alerts', async () => {
    const r = operations({ defaultMode: 'shadow', requireCommissioning: true });
    await r.service.start();
    const shadow = await r.commands.execute(
      cmd({ action: 'commission', target: { siteId: 'site', spaceId: 'lobby' } }),
    );
    expect(shadow.status).toBe('refused');
    expect(shadow.reason).toBe(
      'site/lobby/lobby-lights: not checked, the space is shadow (a check sends a command)',
    );

    await r.commands.execute(
      cmd({ action: 'set-mode', target: { siteId: 'site', spaceId: 'lobby' }, mode: 'active' }),
    );
    const running = await r.commands.execute(
      cmd({ action: 'commission', target: { siteId: 'site', spaceId: 'lobby', deviceId: 'lobby-lights' } }),
    );
    expect(running.status).toBe('accepted');
    expect(running.details).toEqual(['site/lobby/lobby-lights: running']);

    // No state report within the timeout: the check fails and raises an alert for the device.
    await r.advance(6 * MINUTE);
    expect(r.alerts.alerts({ kind: 'commissioning-failed' })).toEqual([
      expect.objectContaining({
        key: 'commissioning-failed:site:lobby:lobby-lights',
        message: expect.stringMatching(/^commissioning of lobby-lights failed: no state report/),
      }),
    ]);
    await r.service.stop();
  });
});
