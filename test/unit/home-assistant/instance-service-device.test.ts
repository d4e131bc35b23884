/**
 * Two instances sharing one topic prefix with Home Assistant discovery on: each announces its own
 * service device (release state and buttons, on topics of its own), so neither overwrites the
 * other's; a press of one instance's button or a mode select of its site acts there only, and the
 * other leaves it without a warning.
 */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/adapters/clock/manual-clock.js';
import { MemoryBus } from '../../../src/adapters/memory-bus/memory-bus.js';
import { SimulatedScheduler } from '../../../src/adapters/scheduler/simulated-scheduler.js';
import { validateConfig } from '../../../src/config/parse.js';
import type { SiteConfig } from '../../../src/config/schema/site.js';
import { type CommandEnvelope, done } from '../../../src/domain/commands/envelope.js';
import { discoveryPlan } from '../../../src/domain/home-assistant/discovery.js';
import { HaDiscoveryService } from '../../../src/services/integrations/home-assistant/ha-discovery-service.js';
import { captureLogger } from '../../helpers/logger.js';
import { minimalConfig } from '../config/helpers.js';

const PREFIX = 'qw';
const DISCOVERY = 'homeassistant';

function siteNamed(id: string): SiteConfig {
  const r = validateConfig(minimalConfig(), 'minimal.yaml');
  const site = r.ok ? r.config.sites[0] : undefined;
  if (!site) throw new Error('the minimal config is valid and has a site');
  return { ...site, id };
}

function instance(bus: MemoryBus, clock: ManualClock, id: string, site: SiteConfig) {
  const executed: CommandEnvelope[] = [];
  const log = captureLogger();
  let released = false;
  const service = new HaDiscoveryService({
    bus,
    clock,
    scheduler: new SimulatedScheduler(clock),
    log,
    commands: {
      execute: (c) => {
        executed.push(c);
        if (c.action === 'release' || c.action === 'resume') released = c.action === 'release';
        return Promise.resolve(done(c, clock.now(), []));
      },
    },
    sources: {
      spaceState: () => ({
        energyKWh: undefined,
        savedKWh: undefined,
        mode: 'active',
        alerts: [],
        devices: [],
      }),
      released: () => released,
      forget: () => undefined,
    },
    setup: {
      prefix: PREFIX,
      statusTopic: `${PREFIX}/status/${id}`,
      instanceId: id,
      discoveryPrefix: DISCOVERY,
      commandsEnabled: true,
      stateEverySeconds: 60,
    },
    sites: [site],
  });
  return { service, executed, log };
}

const text = (b: Uint8Array) => Buffer.from(b).toString('utf8');

describe('Home Assistant service devices of instances sharing a prefix', () => {
  it('gives each instance its own service device, state topic and buttons; spaces keep theirs', () => {
    const plan = (instanceId: string, site: string) =>
      discoveryPlan({
        prefix: PREFIX,
        statusTopic: `${PREFIX}/status/${instanceId}`,
        instanceId,
        discoveryPrefix: DISCOVERY,
        commandsEnabled: true,
        sites: [{ id: site, name: site, spaces: [{ id: 'hall', type: 'lobby', devices: [] }] }],
      });
    const east = plan('east', 'court-e');
    const west = plan('west', 'court-w');
    const topics = (p: typeof east) => p.entries.map((e) => e.topic);
    expect(topics(east).filter((t) => topics(west).includes(t))).toEqual([]);
    const service = east.entries.filter((e) => e.topic.includes('/service_east_'));
    expect(service.map((e) => e.topic).sort()).toEqual([
      `${DISCOVERY}/binary_sensor/qw/service_east_released/config`,
      `${DISCOVERY}/button/qw/service_east_release/config`,
      `${DISCOVERY}/button/qw/service_east_resume/config`,
    ]);
    for (const e of service) expect(e.config.device).toMatchObject({ identifiers: ['qw_service_east'] });
    expect(service.map((e) => e.config.state_topic ?? e.config.command_topic).sort()).toEqual([
      'qw/ha/command/release/east',
      'qw/ha/command/resume/east',
      'qw/ha/state/service-east',
    ]);
    // A space's entity does not depend on the instance serving it (a moved site keeps its history).
    const hall = east.entries.find((e) => e.topic.endsWith('/court-e_hall_energy/config'));
    expect(hall?.config.unique_id).toBe('qw_court-e_hall_energy');
    expect(hall?.config.device).toMatchObject({ via_device: 'qw_service_east' });
    // What a single instance on this prefix announced is cleared.
    expect(east.unused).toEqual(
      expect.arrayContaining([
        `${DISCOVERY}/binary_sensor/qw/service_released/config`,
        `${DISCOVERY}/button/qw/service_release/config`,
        `${DISCOVERY}/button/qw/service_resume/config`,
      ]),
    );
  });

  it("acts on its own button and site only, and leaves the other's without a warning", async () => {
    const clock = new ManualClock(Date.parse('2026-07-06T02:00:00Z'));
    const bus = new MemoryBus(clock);
    const east = instance(bus, clock, 'east', siteNamed('court-e'));
    const west = instance(bus, clock, 'west', siteNamed('court-w'));
    await east.service.start();
    await west.service.start();
    const retained = new Map<string, string>();
    await bus.subscribe([`${DISCOVERY}/#`, `${PREFIX}/ha/state/#`], (m) => {
      retained.set(m.topic, text(m.payload));
    });
    expect(JSON.parse(retained.get(`${PREFIX}/ha/state/service-east`) ?? 'null')).toEqual({
      released: false,
    });
    expect(JSON.parse(retained.get(`${PREFIX}/ha/state/service-west`) ?? 'null')).toEqual({
      released: false,
    });
    expect(retained.has(`${PREFIX}/ha/state/service`)).toBe(false);

    await bus.publish(`${PREFIX}/ha/command/release/east`, 'PRESS');
    await bus.publish(`${PREFIX}/ha/command/mode/court-w/${siteNamed('x').spaces[0]?.id}`, 'shadow');
    await east.service.stop();
    await west.service.stop();
    await new Promise((r) => setImmediate(r));

    expect(east.executed.map((c) => c.action)).toEqual(['release']);
    expect(west.executed.map((c) => [c.action, c.target.siteId])).toEqual([['set-mode', 'court-w']]);
    expect(JSON.parse(retained.get(`${PREFIX}/ha/state/service-east`) ?? 'null')).toEqual({ released: true });
    expect(JSON.parse(retained.get(`${PREFIX}/ha/state/service-west`) ?? 'null')).toEqual({
      released: false,
    });
    for (const i of [east, west]) expect(i.log.lines.filter((l) => l.level === 'warn')).toEqual([]);
  });
});
