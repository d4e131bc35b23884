import type { MqttClient } from 'mqtt';
import { isWildcard, topicMatches } from '../../domain/messaging/topic-filter.js';
import type { Logger } from '../../ports/logger.js';

/** What this needs of an MQTT.js client. */
export type Subscriber = Pick<MqttClient, 'subscribeAsync'>;

/** A SUBACK's return code for a refused filter (MQTT 3.1.1 3.9.3; MQTT 5's refusals are 0x80 and up). */
const REFUSED = 0x80;

/**
 * The operator's wildcard filters (`mqtt.coveringFilters`), subscribed at the broker instead of the
 * exact topics they cover. Routing stays local and exact (the topic router), so a covered topic still
 * reaches only its own handlers and the write-ahead inbox; the broker only holds one subscription
 * where it would hold thousands. Mosquitto's time per subscription grows with the subscriptions one
 * client already holds (docs/benchmarks.md, bench:subscribe), so this is what lets a large site start
 * quickly.
 */
export class CoveringFilters {
  /**
   * The covering filters still in use (a refused one is dropped). A few at most: each topic is
   * checked against each by a walk that allocates nothing, faster than a trie's split.
   */
  private filters: readonly string[];
  private subscribing: Promise<void> | undefined;

  constructor(
    filters: readonly string[],
    private readonly log: Logger,
  ) {
    this.filters = [...new Set(filters)];
  }

  /**
   * Of `filters`, those the broker must be sent: wildcards other than the covering filters themselves
   * (subscribed once, here, and never unsubscribed for a handler), and exact topics none covers.
   */
  toBroker(filters: readonly string[]): readonly string[] {
    if (this.filters.length === 0) return filters;
    return filters.filter((f) => (isWildcard(f) ? !this.filters.includes(f) : !this.covers(f)));
  }

  /** Whether a covering filter takes the exact topic. */
  covers(topic: string): boolean {
    return !isWildcard(topic) && this.filters.some((f) => topicMatches(f, topic));
  }

  /**
   * Subscribes the covering filters, once (MQTT.js makes them again on every reconnect). A filter the
   * broker refuses (an ACL, say) is dropped with an error logged, and `uncovered` is called with the
   * refused filters, for the caller to subscribe the topics they would have covered one by one
   * instead of never receiving them. A failure (the broker down) is retried at the next call.
   */
  subscribe(client: Subscriber, uncovered: (refused: readonly string[]) => Promise<void>): Promise<void> {
    if (this.filters.length === 0) return Promise.resolve();
    this.subscribing ??= this.subscribeOnce(client, uncovered).catch((error: unknown) => {
      this.subscribing = undefined;
      throw error;
    });
    return this.subscribing;
  }

  private async subscribeOnce(
    client: Subscriber,
    uncovered: (refused: readonly string[]) => Promise<void>,
  ): Promise<void> {
    const granted = await client.subscribeAsync([...this.filters], { qos: 1 });
    const refused = new Set(granted.filter((g) => g.qos >= REFUSED).map((g) => g.topic));
    if (refused.size === 0) return;
    this.filters = this.filters.filter((f) => !refused.has(f));
    this.log.error(
      { filters: [...refused] },
      'the broker refused covering filters; subscribing the topics they would cover one by one',
    );
    await uncovered([...refused]);
  }
}
