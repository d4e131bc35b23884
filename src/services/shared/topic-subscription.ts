import type { MessageBus, MessageHandler } from '../../ports/message-bus.js';

/**
 * One handler's set of subscribed topics. `set` subscribes to the topics that are new and unsubscribes
 * from those that are gone, so a config reload touches only what changed.
 */
export class TopicSubscription {
  private topics: readonly string[] = [];

  constructor(
    private readonly bus: MessageBus,
    private readonly handler: MessageHandler,
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
    if (added.length > 0) await this.bus.subscribe(added, this.handler);
    if (removed.length > 0) await this.bus.unsubscribe(removed, this.handler);
    return { added: added.length, removed: removed.length };
  }
}
