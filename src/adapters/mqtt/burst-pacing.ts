/** How long a learned limit holds before a burst runs its whole window again to learn it anew. */
const RELEARN_EVERY_MS = 1_000;

/**
 * When a burst of inbound QoS 1 messages is committed to the inbox. A commit costs about the same
 * for 10 messages as for 200 (the WAL frames of the same few pages), so a burst stays open for a
 * short window to gather more: at 20,000 readings/s the service's CPU per reading fell by a third
 * (docs/benchmarks.md). Yet the broker sends at most its in-flight limit of unacknowledged messages
 * (Mosquitto's `max_inflight_messages`, 20 by default) and then waits for their PUBACKs, so a burst
 * held open past that limit only waits. So a burst that ran its whole window tells how many arrive
 * in one (the in-flight limit, or fewer when the stream is slow), and for a second after it a burst
 * that reaches that many is committed at once. Then one burst runs the window again, as the stream's
 * rate may have changed: at most one wait a second where the broker's limit is small.
 */
export class BurstPacing {
  private limit = 0;
  private learnedAtMs = Number.NEGATIVE_INFINITY;

  constructor(
    readonly windowMs: number,
    private readonly nowMs: () => number = () => performance.now(),
  ) {}

  /** A new connection, perhaps to a broker with another limit: nothing is known of it. */
  reset(): void {
    this.limit = 0;
  }

  /** Whether a burst of `size` messages holds as many as a recent whole window did. */
  full(size: number): boolean {
    return this.limit > 0 && size >= this.limit && this.nowMs() - this.learnedAtMs < RELEARN_EVERY_MS;
  }

  /** A burst ran its whole window and gathered `size` messages. */
  windowEnded(size: number): void {
    this.limit = size;
    this.learnedAtMs = this.nowMs();
  }
}
