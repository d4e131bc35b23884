import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { commission } from '../../../src/cli/commands/commission.js';
import { release } from '../../../src/cli/commands/release.js';
import type { CommandOutput } from '../../../src/cli/output.js';
import { validateConfig } from '../../../src/config/parse.js';
import { startService } from '../../../src/main.js';
import { startTestBroker, type TestBroker } from '../../helpers/broker.js';
import { until } from '../../helpers/poll.js';

const dir = mkdtempSync(join(tmpdir(), 'qw-service-commands-'));
let broker: TestBroker;
beforeAll(async () => {
  broker = await startTestBroker();
});
afterAll(async () => {
  await broker.stop();
  rmSync(dir, { recursive: true, force: true });
});

function output(): CommandOutput & { lines: string[] } {
  const lines: string[] = [];
  return { lines, log: (l) => lines.push(l), error: (l) => lines.push(`ERROR ${l}`) };
}

/** The demo config on the test broker, on a clock that stands still (lockstep, never stepped). */
function demoConfig(label: string) {
  const { prefix, clientId } = broker.unique(label);
  const raw = parse(readFileSync('config/default.yaml', 'utf8')) as Record<string, Record<string, unknown>>;
  raw.mqtt = { ...raw.mqtt, url: broker.url, clientId, topicPrefix: prefix, protocolVersion: 4 };
  raw.storage = { ...raw.storage, dir: join(dir, label) };
  raw.clock = { source: 'mqtt', topic: `${prefix}/bench/clock`, start: '2026-07-06T10:00:00+08:00' };
  raw.simulator = { ...raw.simulator, enabled: false };
  raw.http = { enabled: false };
  const file = join(dir, `${label}.yaml`);
  writeFileSync(file, stringify(raw));
  const validated = validateConfig(raw, file);
  if (!validated.ok) throw new Error(validated.errors.map((e) => e.message).join('\n'));
  return { config: validated.config, file };
}

const start = (config: ReturnType<typeof demoConfig>, watchConfig = false) =>
  startService({
    config: config.config,
    configFile: config.file,
    rootLogger: pino({ level: 'silent' }),
    env: {},
    watchConfig,
  });

describe('operator commands against the running service', () => {
  it('quietwatt release prints the service response; the release and an operator mode survive a restart', async () => {
    const demo = demoConfig('svc-commands');
    const site = demo.config.sites[0];
    const space = site?.spaces[0];
    if (!site || !space) throw new Error('the demo config has no space');
    let service = await start(demo);
    try {
      const out = output();
      expect(await release(['--config', demo.file], out)).toBe(0);
      expect(out.lines[0]).toBe('release: done');
      expect(out.lines[1]).toBe('  every device handed back to its own schedule until resume');
      expect(service.control.releaseState().operator).toBe(true);
      const logged = service.recentCommands({ action: 'release' });
      expect(logged).toHaveLength(1);
      expect(logged[0]).toMatchObject({ issuer: 'cli', status: 'done' });

      const setMode = await service.commands.execute({
        id: 'mode-1',
        action: 'set-mode',
        target: { siteId: site.id, spaceId: space.id },
        mode: 'off',
        issuer: 'ops-token',
        issuedAt: new Date(service.clock.now()).toISOString(),
      });
      expect(setMode.status).toBe('done');
      expect(service.modes.modeOf(site.id, space.id)).toMatchObject({
        mode: 'off',
        source: 'operator',
        setBy: 'ops-token',
      });

      // A device the config does not have: refused by the service, named in the answer.
      const typo = output();
      expect(
        await commission(
          ['--config', demo.file, '--site', site.id, '--space', space.id, '--device', 'no-such'],
          typo,
        ),
      ).toBe(1);
      expect(typo.lines.join('\n')).toMatch(/no lighting or HVAC device in the config matches/);
    } finally {
      await service.stop();
    }

    service = await start(demo);
    try {
      expect(service.control.releaseState().operator).toBe(true);
      expect(service.modes.modeOf(site.id, space.id).source).toBe('operator');
      expect(service.control.spaceStatus().find((s) => s.spaceId === space.id)).toMatchObject({
        mode: 'off',
        modeSource: 'operator',
      });
      expect(service.recentCommands({}).map((e) => e.command.action)).toEqual(['set-mode', 'release']);
      const out = output();
      expect(await release(['--config', demo.file, '--resume'], out)).toBe(0);
      expect(out.lines).toEqual(['resume: done', '  release lifted: QuietWatt resumes control']);
    } finally {
      await service.stop();
    }
  }, 60_000);

  it('a refused config edit is kept with its errors and raises an alert until a valid edit is accepted', async () => {
    const demo = demoConfig('svc-reload');
    const good = readFileSync(demo.file, 'utf8');
    const service = await start(demo, true);
    try {
      expect(service.lastRefusedReload()).toBeUndefined();
      writeFileSync(demo.file, good.replace(/timezone: Asia\/Shanghai/, 'timezone: Mars/Base'));
      const refused = await until(() => service.lastRefusedReload(), 'the refused reload');
      expect(refused.file).toBe(demo.file);
      expect(refused.errors.map((e) => e.message).join('\n')).toMatch(/Mars\/Base/);
      expect(service.alerts.alerts({ kind: 'config-refused' })).toHaveLength(1);
      writeFileSync(demo.file, good);
      await until(
        () => (service.alerts.alerts({ kind: 'config-refused' }).length === 0 ? true : undefined),
        'the alert to clear',
      );
      expect(service.lastRefusedReload()?.atMs).toBe(refused.atMs);
    } finally {
      await service.stop();
    }
  }, 60_000);
});
