import { backoffMs } from '../../domain/time/backoff.js';
import type { Clock } from '../../ports/clock.js';
import type { Logger } from '../../ports/logger.js';
import type { AlertSink } from '../../ports/operations.js';

export interface WriteRetryDeps {
  readonly clock: Clock;
  readonly log: Logger;
  /** When given, a failure streak raises a `store-unwritable` alert under `subject`, cleared on recovery. */
  readonly alerts?: AlertSink | undefined;
  /** What is written, in the log and the alert key: `ingest`, `sensors`. */
  readonly subject: string;
  /** Wait after the first failure; it doubles with each further one. Default 1 s. */
  readonly firstBackoffMs?: number;
  /** The longest wait between attempts. Default 60 s. */
  readonly maxBackoffMs?: number;
}

export interface WriteRetryStats {
  /** Failed write attempts since the start. */
  readonly writeFailures: number;
  /** When the current failure streak began; null while writes succeed. */
  readonly writeFailingSinceMs: number | null;
}

/**
 * The failure side of a buffered writer that keeps what it holds when a write fails: when the next
 * attempt may be made (exponential backoff, capped), one warning and one alert per failure streak
 * rather than per attempt, and one line when writes resume.
 */
export class WriteRetry {
  private failures = 0;
  private streak = 0;
  private sinceMs: number | null = null;
  private nextAttemptMs = 0;

  constructor(private readonly deps: WriteRetryDeps) {}

  /** Whether an attempt is due: always while writes succeed, after the backoff while they fail. */
  due(): boolean {
    return this.streak === 0 || this.deps.clock.now() >= this.nextAttemptMs;
  }

  get failing(): boolean {
    return this.streak > 0;
  }

  failed(error: unknown, held: Readonly<Record<string, number>>): void {
    const nowMs = this.deps.clock.now();
    this.failures++;
    this.streak++;
    const waitMs = backoffMs(
      this.streak,
      this.deps.firstBackoffMs ?? 1_000,
      this.deps.maxBackoffMs ?? 60_000,
    );
    this.nextAttemptMs = nowMs + waitMs;
    const err = errorText(error);
    if (this.streak > 1) {
      this.deps.log.debug({ err, attempt: this.streak, retryInMs: waitMs, ...held }, 'write retry failed');
      return;
    }
    this.sinceMs = nowMs;
    this.deps.log.warn(
      { err, retryInMs: waitMs, ...held },
      `${this.deps.subject} writes failing; holding what is buffered and retrying`,
    );
    this.deps.alerts?.raise({
      ...this.alertPart(),
      severity: 'critical',
      message: `${this.deps.subject} cannot write to the store (${err}); what arrives is held in memory and written once the store accepts writes again`,
    });
  }

  succeeded(): void {
    if (this.streak === 0) return;
    this.deps.log.info(
      { failedAttempts: this.streak, failingForMs: this.deps.clock.now() - (this.sinceMs ?? 0) },
      `${this.deps.subject} writes resumed; nothing held was lost`,
    );
    this.streak = 0;
    this.sinceMs = null;
    this.nextAttemptMs = 0;
    this.deps.alerts?.clear(this.alertPart());
  }

  stats(): WriteRetryStats {
    return { writeFailures: this.failures, writeFailingSinceMs: this.sinceMs };
  }

  private alertPart() {
    return { kind: 'store-unwritable', siteId: null, spaceId: null, subject: this.deps.subject } as const;
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
