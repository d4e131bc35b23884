import { isWildcard, topicMatches } from '../../domain/messaging/topic-filter.js';
import type { Clock } from '../../ports/clock.js';
import type { InboundMessage, MessageBus, MessageHandler, PublishOptions } from '../../ports/message-bus.js';

interface Subscription {
  readonly filter: string;
  readonly handler: MessageHandler;
}

interface Queued {
  readonly message: InboundMessage;
  /** Only these subscriptions get it (a retained message replayed to a new subscriber). */
  readonly only?: Subscription;
}

export interface MemoryBusStats {
  readonly published: number;
  readonly delivered: number;
  readonly handlerErrors: number;
  readonly retained: number;
}

const encoder = new TextEncoder();

/**
 * An in-process MessageBus with MQTT's topic matching (+ and #), retained messages (an empty
 * retained payload clears the topic, as in MQTT) and strictly ordered delivery: messages are
 * delivered in the order they were published, one at a time, and a handler that publishes appends
 * to the end of the queue instead of interleaving. Delivery happens before `publish` returns, so a
 * bench or replay on a simulated clock runs at full speed with no timers. A failing handler is
 * counted and never breaks delivery to others.
 */
export class MemoryBus implements MessageBus {
  private readonly subs: Subscription[] = [];
  private readonly retainedByTopic = new Map<string, Uint8Array>();
  private readonly queue: Queued[] = [];
  private draining = false;
  private published = 0;
  private delivered = 0;
  private handlerErrors = 0;

  constructor(
    private readonly clock: Clock,
    private readonly onHandlerError?: (error: unknown, topic: string) => void,
  ) {}

  publish(topic: string, payload: string | Uint8Array, options: PublishOptions = {}): Promise<void> {
    if (topic.length === 0 || isWildcard(topic)) {
      return Promise.reject(new Error(`invalid publish topic "${topic}"`));
    }
    const bytes = typeof payload === 'string' ? encoder.encode(payload) : payload;
    this.published++;
    if (options.retain) {
      if (bytes.length === 0) this.retainedByTopic.delete(topic);
      else this.retainedByTopic.set(topic, bytes);
    }
    this.queue.push({ message: { topic, payload: bytes, retained: false, receivedAtMs: this.clock.now() } });
    this.drain();
    return Promise.resolve();
  }

  subscribe(topicFilters: readonly string[], handler: MessageHandler): Promise<void> {
    for (const filter of topicFilters) {
      const sub = { filter, handler };
      this.subs.push(sub);
      // A new subscription gets the retained messages that match it, flagged as retained.
      for (const [topic, payload] of this.retainedByTopic) {
        if (topicMatches(filter, topic)) {
          this.queue.push({
            message: { topic, payload, retained: true, receivedAtMs: this.clock.now() },
            only: sub,
          });
        }
      }
    }
    this.drain();
    return Promise.resolve();
  }

  unsubscribe(topicFilters: readonly string[]): Promise<void> {
    for (let i = this.subs.length - 1; i >= 0; i--) {
      const sub = this.subs[i];
      if (sub && topicFilters.includes(sub.filter)) this.subs.splice(i, 1);
    }
    return Promise.resolve();
  }

  /** The retained payload of a topic, if any (for tests and diagnostics). */
  retained(topic: string): Uint8Array | undefined {
    return this.retainedByTopic.get(topic);
  }

  stats(): MemoryBusStats {
    return {
      published: this.published,
      delivered: this.delivered,
      handlerErrors: this.handlerErrors,
      retained: this.retainedByTopic.size,
    };
  }

  private drain(): void {
    if (this.draining) return;
    this.draining = true;
    try {
      for (let item = this.queue.shift(); item !== undefined; item = this.queue.shift()) {
        const targets = item.only
          ? [item.only]
          : this.subs.filter((s) => topicMatches(s.filter, item.message.topic));
        // One delivery per handler even when several of its filters match (as a broker does per client).
        const seen = new Set<MessageHandler>();
        for (const sub of targets) {
          if (seen.has(sub.handler) || (item.only === undefined && !this.subs.includes(sub))) continue;
          seen.add(sub.handler);
          this.delivered++;
          try {
            sub.handler(item.message);
          } catch (error) {
            this.handlerErrors++;
            this.onHandlerError?.(error, item.message.topic);
          }
        }
      }
    } finally {
      this.draining = false;
    }
  }
}
