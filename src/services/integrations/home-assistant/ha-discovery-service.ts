import type { SiteConfig } from '../../../config/schema/site.js';
import { type DiscoveryEntry, discoveryPlan } from '../../../domain/home-assistant/discovery.js';
import { serviceStatePayload, spaceStatePayload } from '../../../domain/home-assistant/states.js';
import {
  haBirthTopic,
  haCommandRoot,
  haServiceStateTopic,
  haSpaceStateTopic,
} from '../../../domain/home-assistant/topics.js';
import type { Clock } from '../../../ports/clock.js';
import type { Component } from '../../../ports/component.js';
import type { Logger } from '../../../ports/logger.js';
import type { InboundMessage, MessageBus } from '../../../ports/message-bus.js';
import type { CommandHandler } from '../../../ports/operations.js';
import type { ScheduledJob, Scheduler } from '../../../ports/scheduler.js';
import { targetHeld } from '../../operations/targets.js';
import { haCommand } from './ha-commands.js';
import type { HaStateSources } from './state-sources.js';

export interface HaDiscoverySetup {
  /** `mqtt.topicPrefix`. */
  readonly prefix: string;
  /** This instance's availability topic (its own among several instances). */
  readonly statusTopic: string;
  /** `instance.id` among several instances: its own service device, buttons and state topic. */
  readonly instanceId?: string;
  readonly discoveryPrefix: string;
  readonly commandsEnabled: boolean;
  readonly stateEverySeconds: number;
}

export interface HaDiscoveryDeps {
  readonly bus: MessageBus;
  readonly clock: Clock;
  readonly scheduler: Scheduler;
  readonly log: Logger;
  readonly commands: CommandHandler;
  readonly sources: HaStateSources;
  readonly setup: HaDiscoverySetup;
  readonly sites: readonly SiteConfig[];
}

const RETAINED = { qos: 1, retain: true } as const;

/**
 * Home Assistant MQTT discovery of QuietWatt's own entities: retained configs, published at start,
 * again when Home Assistant announces `online` on `<discovery prefix>/status`, and on each reload
 * (a space that left the config gets an empty retained config, which removes its entities).
 * States are retained JSON under `<prefix>/ha/state/`. With `commandsEnabled`, the mode select and
 * the buttons act through the command handler, like any operator command, from `<prefix>/ha/command/`.
 */
export class HaDiscoveryService implements Component {
  readonly name = 'home-assistant';
  private sites: readonly SiteConfig[];
  private published: readonly DiscoveryEntry[] = [];
  private job: ScheduledJob | undefined;
  private commandSeq = 0;

  constructor(private readonly deps: HaDiscoveryDeps) {
    this.sites = deps.sites;
  }

  private get commandFilter(): string {
    return `${haCommandRoot(this.deps.setup.prefix)}/#`;
  }

  async start(): Promise<void> {
    const s = this.deps.setup;
    await this.deps.bus.subscribe([haBirthTopic(s.discoveryPrefix)], this.onBirth);
    if (s.commandsEnabled) await this.deps.bus.subscribe([this.commandFilter], this.onCommand);
    await this.publishDiscovery();
    await this.publishStates();
    this.job = this.deps.scheduler.schedule('ha-states', { everySeconds: s.stateEverySeconds }, () =>
      this.publishStates(),
    );
  }

  async stop(): Promise<void> {
    this.job?.cancel();
    this.job = undefined;
    try {
      await this.deps.bus.unsubscribe([haBirthTopic(this.deps.setup.discoveryPrefix)], this.onBirth);
      if (this.deps.setup.commandsEnabled)
        await this.deps.bus.unsubscribe([this.commandFilter], this.onCommand);
    } catch (error) {
      this.deps.log.warn({ err: String(error) }, 'home assistant topics unsubscribe failed');
    }
  }

  /** A reload: entities of spaces that left are removed, new ones announced, states refreshed. */
  async reconfigure(sites: readonly SiteConfig[]): Promise<void> {
    const before = this.sites;
    this.sites = sites;
    for (const site of before) {
      for (const space of site.spaces) {
        const kept = sites.some((x) => x.id === site.id && x.spaces.some((y) => y.id === space.id));
        if (kept) continue;
        this.deps.sources.forget(site.id, space.id);
        await this.send(haSpaceStateTopic(this.deps.setup.prefix, site.id, space.id), '');
      }
    }
    await this.publishDiscovery();
    await this.publishStates();
  }

  /** Every config of the config in force; topics no longer in it are cleared first. */
  async publishDiscovery(): Promise<void> {
    const s = this.deps.setup;
    const plan = discoveryPlan({
      prefix: s.prefix,
      statusTopic: s.statusTopic,
      ...(s.instanceId === undefined ? {} : { instanceId: s.instanceId }),
      discoveryPrefix: s.discoveryPrefix,
      commandsEnabled: s.commandsEnabled,
      sites: this.sites,
    });
    const now = new Set(plan.entries.map((e) => e.topic));
    const gone = this.published.map((e) => e.topic).filter((t) => !now.has(t));
    const clear = [...new Set([...gone, ...plan.unused])];
    await Promise.all(clear.map((topic) => this.send(topic, '')));
    await Promise.all(plan.entries.map((e) => this.send(e.topic, JSON.stringify(e.config))));
    this.published = plan.entries;
    if (gone.length > 0) this.deps.log.info({ removed: gone.length }, 'home assistant entities removed');
  }

  async publishStates(): Promise<void> {
    const prefix = this.deps.setup.prefix;
    const nowMs = this.deps.clock.now();
    const messages: [string, string][] = [
      [
        haServiceStateTopic(prefix, this.deps.setup.instanceId),
        serviceStatePayload(this.deps.sources.released()),
      ],
    ];
    for (const site of this.sites) {
      for (const space of site.spaces) {
        try {
          const state = this.deps.sources.spaceState(site.id, space, nowMs);
          messages.push([haSpaceStateTopic(prefix, site.id, space.id), spaceStatePayload(state)]);
        } catch (error) {
          this.deps.log.warn(
            { site: site.id, space: space.id, err: String(error) },
            'home assistant state not read',
          );
        }
      }
    }
    await Promise.all(messages.map(([topic, payload]) => this.send(topic, payload)));
  }

  private async send(topic: string, payload: string): Promise<void> {
    try {
      await this.deps.bus.publish(topic, payload, RETAINED);
    } catch (error) {
      this.deps.log.warn({ topic, err: String(error) }, 'home assistant message not published');
    }
  }

  private readonly onBirth = (m: InboundMessage): void => {
    if (Buffer.from(m.payload).toString('utf8') !== 'online') return;
    this.deps.log.info({}, 'home assistant is online; discovery published again');
    void this.publishDiscovery().then(() => this.publishStates());
  };

  private readonly onCommand = (m: InboundMessage): void => {
    // A retained command would be replayed at every start: only live presses count.
    if (m.retained) return;
    const nowMs = this.deps.clock.now();
    const id = `ha-${nowMs}-${++this.commandSeq}`;
    const instanceId = this.deps.setup.instanceId;
    const parsed = haCommand(
      this.deps.setup.prefix,
      m.topic,
      Buffer.from(m.payload).toString('utf8'),
      id,
      nowMs,
      instanceId,
    );
    if (!parsed.ok) {
      if ('elsewhere' in parsed) this.deps.log.debug({ topic: m.topic }, `left to ${parsed.elsewhere}`);
      else this.deps.log.warn({ topic: m.topic, error: parsed.error }, 'home assistant command refused');
      return;
    }
    // Every instance on the prefix hears every space's select: another instance's site is its own.
    if (instanceId !== undefined && !targetHeld(this.sites, parsed.command.target)) {
      this.deps.log.debug({ topic: m.topic }, 'left to the instance that holds the site');
      return;
    }
    void this.deps.commands
      .execute(parsed.command)
      .then((response) => {
        const fields = {
          command: id,
          action: response.action,
          status: response.status,
          reason: response.reason,
        };
        if (response.status === 'refused') this.deps.log.warn(fields, 'home assistant command refused');
        else this.deps.log.info(fields, 'home assistant command carried out');
        return this.publishStates();
      })
      .catch((error: unknown) =>
        this.deps.log.error({ err: String(error) }, 'home assistant command failed'),
      );
  };
}
