import type { Clock } from '../../ports/clock.js';
import type { AlertSink } from '../../ports/operations.js';

/** A config change the watcher refused, with its errors (the running config stayed). */
export interface RefusedReload {
  readonly atMs: number;
  readonly file: string;
  readonly errors: readonly { readonly code: string; readonly message: string }[];
}

const ALERT = { kind: 'config-refused', siteId: null, spaceId: null } as const;

/**
 * What became of the last config reloads: the last refused one stays readable (for the API) and
 * raises an alert until a later change is accepted.
 */
export class ReloadStatus {
  private last: RefusedReload | undefined;

  constructor(
    private readonly file: string,
    private readonly clock: Clock,
    private readonly alerts: AlertSink,
  ) {}

  /**
   * A refused change. `mixed`: a failed reload could not hand every service the running config back,
   * so the service runs partly on the new one until it restarts.
   */
  refused(
    errors: readonly { readonly code: string; readonly message: string }[],
    running: 'kept' | 'mixed' = 'kept',
  ): void {
    this.last = { atMs: this.clock.now(), file: this.file, errors: errors.map((e) => ({ ...e })) };
    const first = errors[0]?.message ?? 'invalid';
    const outcome =
      running === 'kept'
        ? 'the running config stays'
        : 'some services run the new config: restart the service';
    this.alerts.raise({
      ...ALERT,
      severity: running === 'kept' ? 'warning' : 'critical',
      message: `config change in ${this.file} refused (${errors.length} error(s), first: ${first}); ${outcome}`,
    });
  }

  accepted(): void {
    this.alerts.clear(ALERT);
  }

  /** The last refused reload, also after a later accepted one (it says when it was). */
  lastRefusedReload(): RefusedReload | undefined {
    return this.last;
  }
}
