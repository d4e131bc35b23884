import { LogRateLimiter } from '../../domain/ingest/rate-limiter.js';
import type { Clock } from '../../ports/clock.js';
import type { Logger } from '../../ports/logger.js';
import type { CounterStore } from '../../ports/stores.js';
import { RejectionTally } from './rejection-tally.js';

export interface RejectionReporterDeps {
  readonly clock: Clock;
  readonly log: Logger;
  /**
   * When given, rejections are also counted persistently per source and reason, by the consumer's
   * flush writing `tally` with the inbox rows of the messages counted.
   */
  readonly rejections?: CounterStore | undefined;
  /** Log lines per source and reason per minute. */
  readonly linesPerMinute: number;
}

/** Who a rejected message belonged to: a meter or a sensor, by id. */
export interface RejectedSource {
  readonly kind: 'meter' | 'sensor';
  readonly id: string;
}

/**
 * Counts a rejected message (stored by the consumer's next write) and logs it as one structured,
 * rate-limited warning that names the source, the topic and the reason. Shared by the ingest services
 * so that bad input is reported the same way whichever device sent it.
 */
export class RejectionReporter {
  private readonly limiter: LogRateLimiter;
  /** Counts not yet stored; the consumer's flush seals and writes them. */
  readonly tally: RejectionTally | undefined;

  constructor(private readonly deps: RejectionReporterDeps) {
    this.limiter = new LogRateLimiter(deps.linesPerMinute);
    this.tally = deps.rejections ? new RejectionTally(deps.rejections) : undefined;
  }

  reject(source: RejectedSource, topic: string, reason: string, detail: string): void {
    this.tally?.add(source.id, reason);
    this.logLimited(
      `${source.id}|${reason}`,
      { [`${source.kind}Id`]: source.id, topic, reason, detail },
      `rejected message from ${source.kind} ${source.id} on ${topic}: ${reason}`,
    );
  }

  /** A message on a topic nothing is configured for; counted under `counterKey`. */
  unknownTopic(topic: string, counterKey: string, detail: string): void {
    this.tally?.add(counterKey, 'unknown-topic');
    this.logLimited(
      `topic:${topic}|unknown-topic`,
      { topic, reason: 'unknown-topic', detail },
      `rejected message on ${topic}: unknown-topic`,
    );
  }

  private logLimited(key: string, fields: Record<string, string>, msg: string): void {
    const decision = this.limiter.check(key, this.deps.clock.now());
    if (!decision.log) return;
    this.deps.log.warn(
      { ...fields, ...(decision.suppressed > 0 ? { suppressed: decision.suppressed } : {}) },
      msg,
    );
  }
}
