/** The slice of MQTT that services and the simulator need; adapters/mqtt implements it. */
export interface PublishOptions {
  readonly qos?: 0 | 1 | 2;
  readonly retain?: boolean;
  /** MQTT 5 message expiry interval, seconds; ignored under MQTT 3.1.1. */
  readonly messageExpirySeconds?: number;
}

export interface InboundMessage {
  readonly topic: string;
  readonly payload: Uint8Array;
  readonly retained: boolean;
  /** When the adapter received it, on the injected clock. */
  readonly receivedAtMs: number;
  /**
   * The message's row in the write-ahead inbox, for a handler subscribed with `durableAs`: the
   * handler deletes it (InboxRelease) in the transaction that stores the message's effect.
   */
  readonly inboxSeq?: number;
}

export interface SubscribeOptions {
  /**
   * The consumer name under which the bus keeps this handler's QoS 1 messages in its write-ahead
   * inbox before acknowledging them, and replays those left from a crash on the first subscribe.
   */
  readonly durableAs?: string;
}

export type MessageHandler = (message: InboundMessage) => void;

export interface MessageBus {
  publish(topic: string, payload: string | Uint8Array, options?: PublishOptions): Promise<void>;
  /** Subscribes at QoS 1. Topic filters may use + and # wildcards. */
  subscribe(
    topicFilters: readonly string[],
    handler: MessageHandler,
    options?: SubscribeOptions,
  ): Promise<void>;
  /**
   * Removes the filters from `handler`'s subscription (from every handler when none is given). The
   * broker subscription ends only for filters no other handler still uses: two services may share a topic.
   */
  unsubscribe(topicFilters: readonly string[], handler?: MessageHandler): Promise<void>;
  /**
   * Stops delivering the filters to `handler` in this process but keeps the broker subscription, so
   * a persistent session goes on queueing their messages for the next start. For a stop; a reload
   * that drops topics unsubscribes. A bus without a broker session may leave it out.
   */
  detach?(topicFilters: readonly string[], handler: MessageHandler): void;
  /**
   * Flow control for a consumer that has fallen behind: no further inbound message is taken until
   * `until` settles. The broker keeps what follows (QoS 1 unacknowledged, QoS 0 in its queue for this
   * client, which drops past its limit). A bus without flow control may leave it out.
   */
  holdInbound?(until: Promise<unknown>): void;
}
