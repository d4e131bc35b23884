import { backoffMs } from '../../domain/time/backoff.js';
import type { Logger } from '../../ports/logger.js';

const FIRST_BACKOFF_MS = 1_000;
const MAX_BACKOFF_MS = 30_000;

/**
 * The one message whose inbox append the store refused. Its acknowledgement is held, which stalls
 * the connection (MQTT.js handles a connection's packets in order), so the broker queues the rest;
 * the append is retried with backoff (1 s doubling to 30 s) until it succeeds. One warning per run
 * of failures, one line when appends resume.
 */
export class AckHold {
  private timer: NodeJS.Timeout | undefined;
  private attempt: (() => boolean) | undefined;
  private streak = 0;
  private sinceMs = 0;
  private holds = 0;

  constructor(
    private readonly log: Logger,
    private readonly now: () => number,
  ) {}

  get holding(): boolean {
    return this.attempt !== undefined;
  }

  /** Holds since the start: how often the store refused an append. */
  get count(): number {
    return this.holds;
  }

  /** `attempt` appends and acknowledges, returning false while the store still refuses. */
  hold(error: unknown, attempt: () => boolean): void {
    this.drop();
    this.holds++;
    this.attempt = attempt;
    if (this.streak === 0) {
      this.sinceMs = this.now();
      this.log.warn(
        { err: errorText(error) },
        'inbox append failing; acknowledging nothing more until the store takes writes',
      );
    }
    this.streak++;
    const delayMs = backoffMs(this.streak, FIRST_BACKOFF_MS, MAX_BACKOFF_MS);
    this.timer = setTimeout(() => this.retry(), delayMs);
  }

  /** An append succeeded: the store takes writes again. */
  resumed(): void {
    if (this.streak === 0) return;
    this.log.info(
      { failedAttempts: this.streak, failingForMs: this.now() - this.sinceMs },
      'inbox appends resumed; acknowledging again',
    );
    this.streak = 0;
  }

  /** Forgets the held message without acknowledging it: its connection is gone, the broker resends it. */
  drop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.attempt = undefined;
  }

  private retry(): void {
    const attempt = this.attempt;
    this.timer = undefined;
    this.attempt = undefined;
    // A failed attempt calls hold() again, with a longer wait.
    attempt?.();
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
