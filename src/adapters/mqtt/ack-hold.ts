import { backoffMs } from '../../domain/time/backoff.js';
import type { Logger } from '../../ports/logger.js';
import type { AlertSink } from '../../ports/operations.js';

const FIRST_BACKOFF_MS = 1_000;
const MAX_BACKOFF_MS = 30_000;
const INBOX_ALERT = { kind: 'store-unwritable', siteId: null, spaceId: null, subject: 'inbox' } as const;

/**
 * The one message whose inbox append the store refused. Its acknowledgement is held, which stalls
 * the connection (MQTT.js handles a connection's packets in order), so the broker queues the rest;
 * the append is retried with backoff (1 s doubling to 30 s) until it succeeds. One warning per run
 * of failures, one line when appends resume. With an alert sink, a `store-unwritable` alert (subject
 * `inbox`) is open while appends fail: no flush may fail meanwhile (nothing new reaches the
 * services), and the store's health probe may still find room for its small write.
 */
export class AckHold {
  private timer: NodeJS.Timeout | undefined;
  private attempt: (() => boolean) | undefined;
  private streak = 0;
  private sinceMs = 0;
  private holds = 0;
  /** Whether the alert may be open: raised in this run, or restored from before a restart. */
  private alertOpen = true;

  constructor(
    private readonly log: Logger,
    private readonly now: () => number,
    private readonly alerts?: AlertSink,
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
      this.alertOpen = true;
      this.alerts?.raise({
        ...INBOX_ALERT,
        severity: 'critical',
        message: `the inbox cannot be written (${errorText(error)}): no reading is acknowledged until it can; the broker queues them up to its limits`,
      });
    }
    this.streak++;
    const delayMs = backoffMs(this.streak, FIRST_BACKOFF_MS, MAX_BACKOFF_MS);
    this.timer = setTimeout(() => this.retry(), delayMs);
  }

  /** An append succeeded: the store takes writes again. */
  resumed(): void {
    if (this.streak === 0 && !this.alertOpen) return;
    if (this.streak > 0)
      this.log.info(
        { failedAttempts: this.streak, failingForMs: this.now() - this.sinceMs },
        'inbox appends resumed; acknowledging again',
      );
    this.streak = 0;
    this.alertOpen = false;
    this.alerts?.clear(INBOX_ALERT);
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
