import { z } from 'zod';
import type { Clock } from '../../ports/clock.js';
import type { Component } from '../../ports/component.js';
import type { Logger } from '../../ports/logger.js';
import type { InboundMessage, MessageBus } from '../../ports/message-bus.js';
import type { SimulatedScheduler } from './simulated-scheduler.js';

/** A time step from an external test bench: `{"t": "2026-07-01T08:00:00Z"}` or `{"t": 1782892800000}`. */
export const LockstepTick = z.object({
  t: z.union([z.iso.datetime({ offset: true }), z.number().int().nonnegative()]),
});

export interface LockstepStats {
  ticks: number;
  rejected: number;
  lastTMs: number | undefined;
}

/**
 * Follows simulated time published by an external simulator, in lockstep: for each time t on `topic`
 * it runs every job due up to t (their publishes are acknowledged by the broker before the job ends),
 * then publishes `{"t": <t>}` on `<topic>/ack`. MQTT orders messages per topic only, so a bench must
 * wait for that acknowledgement before it publishes the next time.
 */
export class LockstepDriver implements Component {
  readonly name = 'lockstep-clock';
  readonly stats: LockstepStats = { ticks: 0, rejected: 0, lastTMs: undefined };
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly topic: string,
    private readonly bus: MessageBus,
    private readonly scheduler: SimulatedScheduler,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    await this.bus.subscribe([this.topic], (message) => this.onTick(message));
  }

  async stop(): Promise<void> {
    await this.bus.unsubscribe([this.topic]);
    await this.chain;
  }

  private onTick(message: InboundMessage): void {
    const tMs = parseTick(message.payload);
    if (tMs === undefined) {
      this.stats.rejected++;
      this.log.warn({ topic: message.topic }, 'lockstep tick rejected: expected {"t": ISO-8601 or epoch ms}');
      return;
    }
    this.chain = this.chain
      .then(async () => {
        if (tMs < this.clock.now()) {
          this.stats.rejected++;
          this.log.warn({ tMs, nowMs: this.clock.now() }, 'lockstep tick rejected: time went back');
          return;
        }
        // The bench's first time may be far from start-up time: start there, not by replaying the gap.
        if (this.stats.lastTMs === undefined) await this.scheduler.jumpTo(tMs);
        else await this.scheduler.advanceTo(tMs);
        this.stats.ticks++;
        this.stats.lastTMs = tMs;
        await this.bus.publish(`${this.topic}/ack`, JSON.stringify({ t: tMs }), { qos: 1 });
      })
      .catch((error: unknown) => this.log.error({ err: error }, 'lockstep tick failed'));
  }
}

function parseTick(payload: Uint8Array): number | undefined {
  try {
    const parsed = LockstepTick.safeParse(JSON.parse(Buffer.from(payload).toString('utf8')));
    if (!parsed.success) return undefined;
    return typeof parsed.data.t === 'number' ? parsed.data.t : Date.parse(parsed.data.t);
  } catch {
    return undefined;
  }
}
