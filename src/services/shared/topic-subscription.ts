import type { MessageBus, MessageHandler, SubscribeOptions } from '../../ports/message-bus.js';

/**
 * One handler's set of subscribed topics. `set` subscribes to the topics that are new and unsubscribes
 * from those that are gone, so a config reload touches only what changed. `release` is for a stop: it
 * detaches the handler but keeps the broker subscriptions, so a persistent session goes on queueing
 * the topics' messages until the next start.
 */
export class TopicSubscription {
  private topics: readonly string[] = [];

  constructor(
    private readonly bus: MessageBus,
    private readonly handler: MessageHandler,
    /** `durableAs`: the bus keeps the handler's messages in its write-ahead inbox until released. */
    private readonly options: SubscribeOptions = {},
  ) {}

  get count(): number {
    return this.topics.length;
  }

  async set(topics: readonly string[]): Promise<{ added: number; removed: number }> {
    const before = new Set(this.topics);
    const after = new Set(topics);
    const added = [...after].filter((t) => !before.has(t));
    const removed = [...before].filter((t) => !after.has(t));
    this.topics = [...after];
    if (added.length > 0) await this.bus.subscribe(added, this.handler, this.options);
    if (removed.length > 0) await this.bus.unsubscribe(removed, this.handler);
    return { added: added.length, removed: removed.length };
  }

  /** Stops delivery to the handler without unsubscribing at the broker (where the bus can). */
  async release(): Promise<void> {
    const topics = this.topics;
    this.topics = [];
    if (topics.length === 0) return;
    // A bus without a broker session has nothing to keep: unsubscribing is the same there.
    if (this.bus.detach) this.bus.detach(topics, this.handler);
    else await this.bus.unsubscribe(topics, this.handler);
  }
}
