/**
 * Home Assistant discovery over real MQTT, against the running service: every discovery topic and
 * payload checked against Home Assistant's documented schema, the republish on
 * `<discovery prefix>/status` = online, the removal of a space that leaves the config, and the
 * mode select and release/resume buttons driven over MQTT, with and without commands enabled.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { cliCommandSecret } from '../../src/adapters/secrets/command-secret.js';
import { validateConfig } from '../../src/config/parse.js';
import { signCommand } from '../../src/domain/commands/signature.js';
import { type RunningService, startService } from '../../src/main.js';
import type { InboundMessage } from '../../src/ports/message-bus.js';
import { startTestBroker, type TestBroker } from '../helpers/broker.js';
import {
  HA_DISCOVERY_SCHEMAS,
  HaSensorConfig,
  isEnergyDashboardConsumption,
  parseDiscoveryTopic,
} from '../helpers/home-assistant-discovery-schema.js';
import { payloadText, testBus, waitFor } from '../helpers/mqtt.js';

const dir = mkdtempSync(join(tmpdir(), 'qw-home-assistant-'));
let broker: TestBroker;
beforeAll(async () => {
  broker = await startTestBroker();
});
afterAll(async () => {
  await broker.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** The demo config on the test broker, lockstep clock never stepped, Home Assistant discovery on. */
function demoConfig(label: string, commandsEnabled: boolean) {
  const { prefix, clientId } = broker.unique(label);
  const raw = parse(readFileSync('config/default.yaml', 'utf8')) as Record<string, Record<string, unknown>>;
  raw.mqtt = { ...raw.mqtt, url: broker.url, clientId, topicPrefix: prefix, protocolVersion: 4 };
  raw.storage = { ...raw.storage, dir: join(dir, label) };
  raw.clock = { source: 'mqtt', topic: `${prefix}/bench/clock`, start: '2026-07-06T10:00:00+08:00' };
  raw.simulator = { ...raw.simulator, enabled: false };
  raw.http = { enabled: false };
  // A discovery prefix of the test's own, so parallel runs on one broker never meet.
  const discoveryPrefix = `${prefix}/homeassistant`;
  raw.homeAssistant = { enabled: true, discoveryPrefix, commandsEnabled };
  const file = join(dir, `${label}.yaml`);
  writeFileSync(file, stringify(raw));
  const validated = validateConfig(raw, file);
  if (!validated.ok) throw new Error(validated.errors.map((e) => e.message).join('\n'));
  return { config: validated.config, file, raw, prefix, discoveryPrefix };
}

type Demo = ReturnType<typeof demoConfig>;

const start = (demo: Demo) =>
  startService({
    config: demo.config,
    configFile: demo.file,
    rootLogger: pino({ level: 'silent' }),
    env: {},
    watchConfig: true,
  });

/** A client that records what arrives on the discovery and state topics. */
async function observe(demo: Demo, name: string) {
  const { clientId } = broker.unique(name);
  const bus = testBus(broker.url, clientId);
  await bus.start();
  const messages: InboundMessage[] = [];
  await bus.subscribe(
    [`${demo.discoveryPrefix}/#`, `${demo.prefix}/ha/state/#`, `${demo.prefix}/status`],
    (m) => messages.push(m),
  );
  const latest = (topic: string) => messages.filter((m) => m.topic === topic).at(-1);
  return { bus, messages, latest };
}

/** Discovery topics the demo config must have, counted from the config itself. */
function expectedDiscoveryCount(demo: Demo, commandsEnabled: boolean): number {
  let n = commandsEnabled ? 3 : 1; // released binary sensor (+ release and resume buttons)
  for (const site of demo.config.sites)
    for (const space of site.spaces) {
      n += 4; // energy, energy saved, mode (select or sensor), alerts
      for (const d of space.devices) n += d.kind === 'lighting' ? 1 : d.kind === 'hvac' ? 2 : 0;
    }
  return n;
}

const isConfigTopic = (demo: Demo, t: string) =>
  t.startsWith(`${demo.discoveryPrefix}/`) && t.endsWith('/config') && t !== `${demo.discoveryPrefix}/status`;

async function stateOf(
  o: Awaited<ReturnType<typeof observe>>,
  topic: string,
  check: (state: Record<string, unknown>) => boolean,
): Promise<void> {
  await waitFor(
    () => {
      const m = o.latest(topic);
      return m !== undefined && m.payload.length > 0 && check(JSON.parse(payloadText(m)));
    },
    () => `state on ${topic}: ${o.latest(topic) ? payloadText(o.latest(topic) as InboundMessage) : 'none'}`,
  );
}

describe('Home Assistant discovery over MQTT', () => {
  it('announces every entity by the documented schema, republishes on online, removes a space, and obeys the select and buttons', async () => {
    const demo = demoConfig('ha-on', true);
    const site = demo.config.sites[0];
    const lobby = site?.spaces.find((s) => s.id === 'lobby');
    const gone = site?.spaces.at(-1);
    if (!site || !lobby || !gone || gone.id === 'lobby') throw new Error('unexpected demo config');
    const service: RunningService = await start(demo);
    const o = await observe(demo, 'ha-on-watch');
    try {
      // Subscribed after the start: everything arrives retained.
      const expected = expectedDiscoveryCount(demo, true);
      const configs = () => o.messages.filter((m) => isConfigTopic(demo, m.topic));
      await waitFor(
        () => new Set(configs().map((m) => m.topic)).size >= expected,
        () => `${configs().length}/${expected} discovery configs`,
      );
      expect(new Set(configs().map((m) => m.topic)).size).toBe(expected);
      const uniqueIds = new Set<string>();
      for (const m of configs()) {
        expect(m.retained, m.topic).toBe(true);
        const where = parseDiscoveryTopic(demo.discoveryPrefix, m.topic);
        expect(where, m.topic).toBeDefined();
        if (!where) continue;
        const body: unknown = JSON.parse(payloadText(m));
        const checked = HA_DISCOVERY_SCHEMAS[where.component].safeParse(body);
        expect(checked.success, `${m.topic}: ${checked.error?.message}`).toBe(true);
        const config = body as Record<string, unknown>;
        // Availability follows this instance's status topic (its last will).
        expect(config.availability_topic).toBe(`${demo.prefix}/status`);
        uniqueIds.add(String(config.unique_id));
        if (typeof config.state_topic === 'string')
          expect(config.state_topic.startsWith(`${demo.prefix}/ha/state/`)).toBe(true);
        if (typeof config.command_topic === 'string')
          expect(config.command_topic.startsWith(`${demo.prefix}/ha/command/`)).toBe(true);
      }
      expect(uniqueIds.size).toBe(expected);
      await waitFor(
        () => {
          const status = o.latest(`${demo.prefix}/status`);
          return status !== undefined && payloadText(status) === 'online';
        },
        () => 'the service status online, retained',
      );

      const base = `${demo.discoveryPrefix}/sensor/${demo.prefix.replace(/[^a-zA-Z0-9_-]/g, '_')}`;
      const energy = HaSensorConfig.parse(
        JSON.parse(payloadText(o.latest(`${base}/${site.id}_lobby_energy/config`) as InboundMessage)),
      );
      expect(isEnergyDashboardConsumption(energy)).toBe(true);
      expect(energy).toMatchObject({ state_class: 'total_increasing', unit_of_measurement: 'kWh' });
      const saved = HaSensorConfig.parse(
        JSON.parse(payloadText(o.latest(`${base}/${site.id}_lobby_energy_saved/config`) as InboundMessage)),
      );
      expect(saved.state_class).toBe('total');

      const lobbyState = `${demo.prefix}/ha/state/${site.id}/lobby`;
      await stateOf(o, lobbyState, (s) => s.mode === 'active');
      const state = JSON.parse(payloadText(o.latest(lobbyState) as InboundMessage));
      expect(state).toMatchObject({ energy_kwh: null, saved_kwh: null, alerts: expect.any(Array) });
      expect(Object.keys(state.setpoints).sort()).toEqual(['lobby-ac', 'lobby-lights']);
      expect(o.latest(lobbyState)?.retained).toBe(true);

      // Home Assistant restarts and announces itself: every config comes again.
      const before = o.messages.length;
      await o.bus.publish(`${demo.discoveryPrefix}/status`, 'online', { qos: 1, retain: false });
      const again = () =>
        o.messages.slice(before).filter((m) => isConfigTopic(demo, m.topic) && m.payload.length > 0);
      await waitFor(
        () => new Set(again().map((m) => m.topic)).size >= expected,
        () => `${new Set(again().map((m) => m.topic)).size}/${expected} configs republished`,
      );

      // The select: a mode change over MQTT is an operator's set-mode, by home-assistant.
      await o.bus.publish(`${demo.prefix}/ha/command/mode/${site.id}/lobby`, 'off', { qos: 1 });
      await waitFor(
        () => service.modes.modeOf(site.id, 'lobby').mode === 'off',
        () => `lobby mode ${service.modes.modeOf(site.id, 'lobby').mode}`,
      );
      expect(service.modes.modeOf(site.id, 'lobby')).toMatchObject({
        source: 'operator',
        setBy: 'home-assistant',
      });
      await stateOf(o, lobbyState, (s) => s.mode === 'off');

      // The buttons: release, then resume.
      const serviceState = `${demo.prefix}/ha/state/service`;
      await o.bus.publish(`${demo.prefix}/ha/command/release`, 'PRESS', { qos: 1 });
      await waitFor(
        () => service.control.releaseState().operator,
        () => 'release by the button',
      );
      await stateOf(o, serviceState, (s) => s.released === true);
      await o.bus.publish(`${demo.prefix}/ha/command/resume`, 'PRESS', { qos: 1 });
      await waitFor(
        () => !service.control.releaseState().operator,
        () => 'resume by the button',
      );
      await stateOf(o, serviceState, (s) => s.released === false);
      const logged = service.recentCommands({}).filter((e) => e.command.issuer === 'home-assistant');
      expect(logged.map((e) => [e.command.action, e.status])).toEqual(
        expect.arrayContaining([
          ['set-mode', 'done'],
          ['release', 'done'],
          ['resume', 'done'],
        ]),
      );

      // A space leaves the config: its configs are cleared with empty retained payloads.
      const goneTopics = configs()
        .map((m) => m.topic)
        .filter((t) => t.includes(`/${site.id}_${gone.id}_`));
      expect(goneTopics.length).toBeGreaterThanOrEqual(4);
      const raw = structuredClone(demo.raw) as unknown as { sites: { spaces: { id: string }[] }[] };
      const rawSite = raw.sites[0];
      if (!rawSite) throw new Error('no site');
      rawSite.spaces = rawSite.spaces.filter((s) => s.id !== gone.id);
      writeFileSync(demo.file, stringify(raw));
      await waitFor(
        () => goneTopics.every((t) => o.latest(t)?.payload.length === 0),
        () =>
          `cleared ${goneTopics.filter((t) => o.latest(t)?.payload.length === 0).length}/${goneTopics.length}`,
        15_000,
      );
      expect(o.latest(`${demo.prefix}/ha/state/${site.id}/${gone.id}`)?.payload.length).toBe(0);

      // A newcomer sees no retained config of the removed space, and every other one.
      const late = await observe(demo, 'ha-on-late');
      try {
        await waitFor(
          () =>
            new Set(late.messages.filter((m) => isConfigTopic(demo, m.topic)).map((m) => m.topic)).size >=
            expected - goneTopics.length,
          () => 'retained configs for a newcomer',
        );
        const seen = late.messages.filter((m) => isConfigTopic(demo, m.topic)).map((m) => m.topic);
        expect(seen.filter((t) => goneTopics.includes(t))).toEqual([]);
      } finally {
        await late.bus.stop();
      }
    } finally {
      await o.bus.stop();
      await service.stop();
    }
  });

  it('with the command topic disabled: mode is a read-only sensor, no buttons, and commands do nothing', async () => {
    const demo = demoConfig('ha-off', false);
    const site = demo.config.sites[0];
    if (!site) throw new Error('unexpected demo config');
    const service = await start(demo);
    const o = await observe(demo, 'ha-off-watch');
    try {
      const expected = expectedDiscoveryCount(demo, false);
      const configs = () => o.messages.filter((m) => isConfigTopic(demo, m.topic) && m.payload.length > 0);
      await waitFor(
        () => new Set(configs().map((m) => m.topic)).size >= expected,
        () => `${configs().length}/${expected} discovery configs`,
      );
      const components = new Set(
        configs().map((m) => parseDiscoveryTopic(demo.discoveryPrefix, m.topic)?.component),
      );
      expect(components.has('select')).toBe(false);
      expect(components.has('button')).toBe(false);
      for (const m of configs()) {
        const where = parseDiscoveryTopic(demo.discoveryPrefix, m.topic);
        if (!where) throw new Error(m.topic);
        const checked = HA_DISCOVERY_SCHEMAS[where.component].safeParse(JSON.parse(payloadText(m)));
        expect(checked.success, `${m.topic}: ${checked.error?.message}`).toBe(true);
      }
      const modeSensor = configs().find((m) => m.topic.endsWith(`/${site.id}_lobby_mode/config`));
      expect(JSON.parse(payloadText(modeSensor as InboundMessage))).toMatchObject({
        device_class: 'enum',
        options: ['off', 'shadow', 'active'],
      });

      const modeBefore = service.modes.modeOf(site.id, 'lobby');
      await o.bus.publish(`${demo.prefix}/ha/command/mode/${site.id}/lobby`, 'off', { qos: 1 });
      await o.bus.publish(`${demo.prefix}/ha/command/release`, 'PRESS', { qos: 1 });
      // A marker published after the commands, on a topic the service answers: once it is
      // answered, the commands before it have reached the service too, had it listened.
      const marker = `${demo.prefix}/command/response/ha-off-marker`;
      const answered: InboundMessage[] = [];
      await o.bus.subscribe([marker], (m) => answered.push(m));
      // Operator commands are signed: with the secret the service keeps in its storage folder.
      const key = cliCommandSecret(demo.config, {});
      if (!key) throw new Error('the service wrote no command secret');
      await o.bus.publish(
        `${demo.prefix}/command`,
        signCommand(key.secret, Date.now(), {
          id: 'ha-off-marker',
          action: 'resume',
          target: {},
          issuer: 'test',
          issuedAt: new Date(service.clock.now()).toISOString(),
        }),
        { qos: 1 },
      );
      await waitFor(
        () => answered.length > 0,
        () => 'marker answered',
      );
      await new Promise((r) => setTimeout(r, 300));
      expect(service.modes.modeOf(site.id, 'lobby')).toEqual(modeBefore);
      expect(service.control.releaseState().operator).toBe(false);
      expect(service.recentCommands({}).filter((e) => e.command.issuer === 'home-assistant')).toEqual([]);
    } finally {
      await o.bus.stop();
      await service.stop();
    }
  });
});
