import type { QuietWattConfig } from '../config/schema/index.js';
import type { Clock } from '../ports/clock.js';
import type { Component } from '../ports/component.js';
import type { Logger } from '../ports/logger.js';
import type { MessageBus } from '../ports/message-bus.js';
import type { ScheduledJob, Scheduler } from '../ports/scheduler.js';
import { advanceClosedLoop, type TimedReport } from './closed-loop.js';
import { coalesceReceiverStamped } from './coalesce.js';
import { SimulatedControllers } from './controllers/simulated-controllers.js';
import { encodeMeterReading } from './encode/meter-payload.js';
import { encodeSensorReading } from './encode/sensor-payload.js';
import { buildCommunityModel } from './model/build.js';
import type { CommunityModel } from './model/community.js';
import type { SimOutput } from './model/outputs.js';
import { type CommunityState, initialState } from './model/state.js';
import { advance } from './model/step.js';

export interface CommunitySimulatorDeps {
  readonly config: QuietWattConfig;
  readonly clock: Clock;
  readonly scheduler: Scheduler;
  readonly bus: MessageBus;
  readonly log: Logger;
}

export interface SimulatorStats {
  readonly simulatedUntilMs: number;
  readonly published: number;
  readonly publishFailures: number;
}

/**
 * The community simulator as a component: it plays the meters and sensors of the configured
 * community and talks to the service only over the message bus, as real devices would. Each tick
 * advances the pure model from the last simulated instant to the clock's now in fixed steps, so
 * what it publishes does not depend on how fast the clock runs or how often ticks come.
 */
export class CommunitySimulator implements Component {
  readonly name = 'simulator';
  private model: CommunityModel | undefined;
  private state: CommunityState | undefined;
  private job: ScheduledJob | undefined;
  private running: Promise<void> = Promise.resolve();
  private controllers: SimulatedControllers | undefined;
  private published = 0;
  private publishFailures = 0;
  private readonly decoder = new TextDecoder();

  constructor(private readonly deps: CommunitySimulatorDeps) {}

  async start(): Promise<void> {
    const { config, clock, scheduler, log } = this.deps;
    const model = buildCommunityModel(config);
    const now = clock.now();
    const burnInMs = config.simulator.burnInHours * 3_600_000;
    const controllers = config.simulator.controllers ? new SimulatedControllers(config, model) : undefined;
    // Settle temperatures and crowds silently before publishing anything.
    const start = initialState(model, now - burnInMs);
    this.state = controllers
      ? advanceClosedLoop(model, start, controllers, now, false).state
      : advance(model, start, now, false).state;
    this.model = model;
    if (controllers) {
      // Commands are applied from the next step on, as a controller acts on what it has received.
      await this.deps.bus.subscribe(controllers.topics(), (m) =>
        controllers.onMessage(m.topic, this.decoder.decode(m.payload), clock.now()),
      );
      this.controllers = controllers;
    }
    const everySeconds = Math.max(1, Math.min(config.simulator.publishEverySeconds, 60));
    this.job = scheduler.schedule('simulator-tick', { everySeconds }, () => this.tick());
    log.info(
      {
        spaces: model.sites.reduce((n, s) => n + s.spaces.length, 0),
        meters: model.sites.reduce((n, s) => n + s.spaces.reduce((m, sp) => m + sp.meters.length, 0), 0),
        seed: model.seed,
        publishEverySeconds: model.publishEveryMs / 1000,
      },
      'simulator started',
    );
  }

  async stop(): Promise<void> {
    this.job?.cancel();
    this.job = undefined;
    await this.running;
    if (this.controllers) {
      await this.deps.bus.unsubscribe(this.controllers.topics()).catch(() => undefined);
      this.controllers = undefined;
    }
    this.deps.log.info({ published: this.published }, 'simulator stopped');
  }

  stats(): SimulatorStats {
    return {
      simulatedUntilMs: this.state?.tMs ?? Number.NaN,
      published: this.published,
      publishFailures: this.publishFailures,
    };
  }

  /** Advances to the clock's now and publishes what fell due; ticks never overlap. */
  tick(): Promise<void> {
    const run = this.running.then(() => this.catchUp());
    this.running = run.catch(() => undefined);
    return run;
  }

  private async catchUp(): Promise<void> {
    const { model } = this;
    let state = this.state;
    if (!model || !state || !this.job) return;
    const now = this.deps.clock.now();
    const maxCatchUpMs = this.deps.config.simulator.maxCatchUpHours * 3_600_000;
    if (now - state.tMs > maxCatchUpMs) {
      // After a long jump (a suspended laptop, a fast clock) publish only the recent part.
      this.deps.log.warn(
        { behindHours: Math.round((now - state.tMs) / 3_600_000) },
        'simulator fell behind the clock; skipping the backlog',
      );
      state = this.controllers
        ? advanceClosedLoop(model, state, this.controllers, now - maxCatchUpMs, false).state
        : advance(model, state, now - maxCatchUpMs, false).state;
    }
    if (this.controllers) {
      const r = advanceClosedLoop(model, state, this.controllers, now);
      this.state = r.state;
      await this.publishReports(r.reports);
      await this.publishAll(coalesceReceiverStamped(r.outputs));
      return;
    }
    const { state: next, outputs } = advance(model, state, now);
    this.state = next;
    await this.publishAll(coalesceReceiverStamped(outputs));
  }

  /** The controllers, when the simulator plays them (for tests and benches). */
  simulatedControllers(): SimulatedControllers | undefined {
    return this.controllers;
  }

  /** State reports go out QoS 1 and not retained, as the contract recommends. */
  private async publishReports(reports: readonly TimedReport[]): Promise<void> {
    for (const r of reports) {
      await this.deps.bus.publish(r.topic, r.payload, { qos: 1, retain: false }).then(
        () => {
          this.published++;
        },
        (error: unknown) => {
          this.publishFailures++;
          this.deps.log.warn({ topic: r.topic, err: error }, 'simulator state report failed');
        },
      );
    }
  }

  private async publishAll(outputs: readonly SimOutput[]): Promise<void> {
    if (outputs.length === 0) return;
    const qos = this.deps.config.simulator.qos;
    const sends = outputs.map((o) => {
      const topic = o.kind === 'meter' ? o.meter.topic : o.topic;
      const payload = o.kind === 'meter' ? encodeMeterReading(o) : encodeSensorReading(o);
      return this.deps.bus.publish(topic, payload, { qos, retain: false }).then(
        () => {
          this.published++;
        },
        (error: unknown) => {
          this.publishFailures++;
          // A device does not retry a lost reading either; log the first few only.
          if (this.publishFailures <= 5 || this.publishFailures % 1000 === 0) {
            this.deps.log.warn(
              { topic, err: error, failures: this.publishFailures },
              'simulator publish failed',
            );
          }
        },
      );
    });
    await Promise.all(sends);
  }
}
