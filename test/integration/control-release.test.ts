import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commission } from '../../src/cli/commands/commission.js';
import { release } from '../../src/cli/commands/release.js';
import type { CommandOutput } from '../../src/cli/output.js';
import { startTestBroker, type TestBroker } from '../helpers/broker.js';
import { MINUTE, type Rig, startRig } from './control-harness.js';

let broker: TestBroker;
let dir: string;
beforeAll(async () => {
  broker = await startTestBroker();
  dir = mkdtempSync(join(tmpdir(), 'qw-control-release-'));
});
afterAll(async () => {
  await broker.stop();
  rmSync(dir, { recursive: true, force: true });
});

function output(): CommandOutput & { lines: string[] } {
  const lines: string[] = [];
  return { lines, log: (l) => lines.push(l), error: (l) => lines.push(`ERROR ${l}`) };
}

const DEVICES = [
  'site/lobby/lobby-lights',
  'site/garage/garage-z2m',
  'site/garage/garage-tas',
  'site/gym/gym-ac',
];

/** Every device handed back at once (the clock does not move): native cleared, presets at their schedule's value. */
async function expectAllHandedBack(rig: Rig, from: number, gymOutstanding: boolean): Promise<void> {
  const { topics } = rig;
  await rig.waitFor(() => {
    const lobby = rig.on(topics.lobbySet, from).some((m) => m.payload === '');
    const gym = !gymOutstanding || rig.on(topics.gymSet, from).some((m) => m.payload === '');
    const z2m = rig.on(topics.z2mSet, from).some((m) => m.payload === '{"state":"ON","brightness":254}');
    const tas = rig.on(`${topics.tasCmnd}Dimmer`, from).some((m) => m.payload === '100');
    return lobby && gym && z2m && tas ? true : undefined;
  });
}

async function expectResumed(rig: Rig, from: number): Promise<void> {
  await rig.advance(2 * MINUTE);
  expect(rig.on(rig.topics.lobbySet, from).filter((m) => m.payload !== '').length).toBeGreaterThan(0);
}

describe('release and fire alarm over MQTT', () => {
  it('quietwatt release and the fire-alarm input hand every device back at once; control resumes after', async () => {
    const rig = await startRig(broker, dir, 'ctl-release');
    const { topics } = rig;
    try {
      const results = Promise.all(DEVICES.map((k) => rig.control.commission(k)));
      await rig.advance(3 * MINUTE);
      expect((await results).every((r) => r.passed)).toBe(true);

      // quietwatt release, through the CLI, against the configured broker.
      const before = rig.received.length;
      const clockBefore = rig.clock.now();
      const out = output();
      const code = await release(['--config', rig.configFile], out);
      expect(out.lines.filter((l) => l.startsWith('ERROR'))).toEqual([]);
      expect(code).toBe(0);
      // The service's answer, not just "sent": its status and every device it handed back.
      expect(out.lines[0]).toBe('release: done');
      expect(out.lines).toContain('  every device handed back to its own schedule until resume');
      expect(out.lines.some((l) => /^ {2}site\/lobby\/lobby-lights .*: handed back$/.test(l))).toBe(true);
      expect(rig.commands.recentCommands({ action: 'release' })).toEqual([
        expect.objectContaining({ issuer: 'cli', status: 'done' }),
      ]);
      // The gym's commissioning lease is still outstanding: it is cleared too.
      await expectAllHandedBack(rig, before, true);
      expect(rig.clock.now()).toBe(clockBefore);
      expect(rig.control.releaseState()).toEqual({ fireAlarm: false, operator: true });

      // While released nothing is commanded, however much time passes.
      const during = rig.received.length;
      await rig.advance(10 * MINUTE);
      expect(rig.on(topics.lobbySet, during)).toEqual([]);
      expect(rig.on(topics.z2mSet, during)).toEqual([]);
      expect(rig.on(topics.tasCmnd, during)).toEqual([]);

      const resumeOut = output();
      expect(await release(['--config', rig.configFile, '--resume'], resumeOut)).toBe(0);
      expect(resumeOut.lines).toEqual(['resume: done', '  release lifted: QuietWatt resumes control']);
      await rig.waitFor(() => (rig.control.releaseState().operator ? undefined : true));
      await expectResumed(rig, during);

      // The fire panel: active payload releases, the clear payload resumes.
      const beforeAlarm = rig.received.length;
      await rig.publish(topics.fire, 'ALARM');
      // The gym has nothing outstanding any more (fan-only, never planned): nothing to clear.
      await expectAllHandedBack(rig, beforeAlarm, false);
      expect(rig.on(topics.gymSet, beforeAlarm)).toEqual([]);
      expect(rig.control.releaseState().fireAlarm).toBe(true);
      const duringAlarm = rig.received.length;
      // A payload the panel does not send ends nothing: the release holds, the payload is logged.
      await rig.publish(topics.fire, 'nonsense-from-anyone');
      await rig.waitFor(() =>
        rig.log.lines.some((l) => l.msg?.startsWith('fire-alarm payload is neither')) ? true : undefined,
      );
      expect(rig.control.releaseState().fireAlarm).toBe(true);
      await rig.advance(5 * MINUTE);
      expect(rig.on(topics.lobbySet, duringAlarm)).toEqual([]);
      await rig.publish(topics.fire, '0');
      await rig.waitFor(() => (rig.control.releaseState().fireAlarm ? undefined : true));
      await expectResumed(rig, duringAlarm);
      expect(rig.log.lines.some((l) => l.msg?.startsWith('release: every device handed back'))).toBe(true);
    } finally {
      await rig.stop();
    }
  }, 60_000);

  it('refuses clearly when the broker cannot be reached', async () => {
    const rig = await startRig(broker, dir, 'ctl-release-bad');
    await rig.stop();
    const { readFileSync, writeFileSync } = await import('node:fs');
    const bad = join(dir, 'unreachable.yaml');
    writeFileSync(bad, readFileSync(rig.configFile, 'utf8').replace(/url: .*/, 'url: mqtt://127.0.0.1:1'));
    const out = output();
    expect(await release(['--config', bad], out)).toBe(1);
    expect(out.lines.join('\n')).toMatch(
      /release not sent: cannot reach the broker at mqtt:\/\/127\.0\.0\.1:1/,
    );
  }, 20_000);

  it('says so and exits 1 when no service answers on the broker', async () => {
    const rig = await startRig(broker, dir, 'ctl-release-silent');
    await rig.stop();
    // The broker is up, but the service that listened on this prefix has stopped.
    const out = output();
    expect(await release(['--config', rig.configFile, '--timeout', '0.5'], out)).toBe(1);
    expect(out.lines.join('\n')).toMatch(
      /^ERROR release sent to mqtt:\/\/.*, but the service did not answer within 0.5 s: is QuietWatt running/,
    );
  }, 20_000);

  it('quietwatt commission asks the running service to commission a device, and refuses a device the config does not have', async () => {
    const rig = await startRig(broker, dir, 'ctl-commission');
    try {
      const out = output();
      expect(
        await commission(['--config', rig.configFile, '--space', 'lobby', '--device', 'lobby-lights'], out),
      ).toBe(0);
      expect(out.lines[0]).toBe('commission: done');
      expect(out.lines[1]).toMatch(
        /^ {2}site\/lobby\/lobby-lights: passed \(state report and meter confirmed/,
      );
      // The service sends the check's command to the lobby lights (the check that started with the
      // service may already have sent it, so every message counts), and the check passes.
      await rig.waitFor(() =>
        rig.on(rig.topics.lobbySet).some((m) => m.payload.includes('"planId":"commissioning-lobby-lights"'))
          ? true
          : undefined,
      );
      await rig.advance(3 * MINUTE);
      await rig.waitFor(() =>
        rig.control.status().find((d) => d.key === 'site/lobby/lobby-lights')?.commissioning === 'passed'
          ? true
          : undefined,
      );

      const typo = output();
      expect(await commission(['--config', rig.configFile, '--device', 'lobby-light'], typo)).toBe(1);
      expect(typo.lines.join('\n')).toMatch(
        /not sent: no lighting or HVAC device in the config matches \{"device":"lobby-light"\}/,
      );
    } finally {
      await rig.stop();
    }
  }, 30_000);
});
