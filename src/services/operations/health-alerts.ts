import type { ControlConfig } from '../../config/schema/control.js';
import type { SiteConfig } from '../../config/schema/site.js';
import type { Clock } from '../../ports/clock.js';
import type { Component } from '../../ports/component.js';
import type { MeterActivity, SensorFreshnessView } from '../../ports/control-inputs.js';
import type { Logger } from '../../ports/logger.js';
import type { AlertSink } from '../../ports/operations.js';
import type { ScheduledJob, Scheduler } from '../../ports/scheduler.js';

export interface HealthAlertsDeps {
  readonly clock: Clock;
  readonly scheduler: Scheduler;
  readonly log: Logger;
  readonly alerts: AlertSink;
  /** The config in force (it changes on a reload). */
  readonly config: () => {
    readonly sites: readonly SiteConfig[];
    readonly staleAfterMinutes: ControlConfig['staleAfterMinutes'];
  };
  readonly meters: MeterActivity;
  readonly sensors?: { freshness(): readonly SensorFreshnessView[] };
  /** One real write to the store; throws when the store cannot be written. */
  readonly probeStore?: () => void;
  /** Default 1 minute. */
  readonly everyMinutes?: number;
}

const minutes = (ms: number) => Math.round(ms / 60_000);

/**
 * Conditions that no single service sees as its own: meters and sensors gone silent past their
 * staleness threshold, and a store that cannot be written. Checked once a minute; each raises an
 * alert while it holds and clears it once it ends. An input never heard counts from the start, so
 * a restart is no false alarm.
 */
export class HealthAlerts implements Component {
  readonly name = 'health-alerts';
  private job: ScheduledJob | undefined;
  private startedAtMs = 0;
  private readonly raised = new Set<string>();

  constructor(private readonly deps: HealthAlertsDeps) {}

  async start(): Promise<void> {
    this.startedAtMs = this.deps.clock.now();
    this.job = this.deps.scheduler.schedule(
      'health-alerts',
      { everyMinutes: this.deps.everyMinutes ?? 1 },
      () => this.check(),
    );
  }

  async stop(): Promise<void> {
    this.job?.cancel();
    this.job = undefined;
  }

  check(): void {
    const nowMs = this.deps.clock.now();
    const seen = new Set<string>();
    const { sites, staleAfterMinutes } = this.deps.config();
    for (const site of sites) {
      for (const space of site.spaces) {
        for (const meter of space.meters) {
          const last = this.deps.meters.meter(meter.id)?.lastReadingTsMs ?? null;
          const silentMs = nowMs - Math.max(last ?? this.startedAtMs, this.startedAtMs);
          const part = {
            kind: 'stale-meter',
            siteId: site.id,
            spaceId: space.id,
            subject: meter.id,
          } as const;
          seen.add(JSON.stringify(part));
          if (silentMs > staleAfterMinutes.meter * 60_000)
            this.raise(
              part,
              'warning',
              `meter ${meter.id} silent for ${minutes(silentMs)} min (${last === null ? 'no reading since the start' : `last reading ${new Date(last).toISOString()}`}); its savings and plans lack data`,
            );
          else this.clear(part);
        }
      }
    }
    for (const f of this.deps.sensors?.freshness() ?? []) {
      const silentMs = nowMs - Math.max(f.lastSeenMs ?? this.startedAtMs, this.startedAtMs);
      const part = { kind: 'stale-sensor', siteId: f.siteId, spaceId: f.spaceId, subject: f.id } as const;
      seen.add(JSON.stringify(part));
      if (silentMs > f.staleAfterMinutes * 60_000)
        this.raise(
          part,
          'warning',
          `${f.kind} sensor ${f.id} silent for ${minutes(silentMs)} min; control falls back to schedules where it needs it`,
        );
      else this.clear(part);
    }
    // Inputs removed from the config: their alerts end.
    for (const key of [...this.raised])
      if (!seen.has(key) && !key.includes('store-unwritable')) this.clear(JSON.parse(key));
    this.probe();
  }

  private probe(): void {
    if (!this.deps.probeStore) return;
    const part = { kind: 'store-unwritable', siteId: null, spaceId: null } as const;
    try {
      this.deps.probeStore();
      this.clear(part);
    } catch (error) {
      this.raise(
        part,
        'critical',
        `the store cannot be written (${error instanceof Error ? error.message : String(error)}): readings and savings are not being kept`,
      );
    }
  }

  private raise(
    part: Parameters<AlertSink['clear']>[0],
    severity: 'warning' | 'critical',
    message: string,
  ): void {
    this.raised.add(JSON.stringify(part));
    this.deps.alerts.raise({ ...part, severity, message });
  }

  /** Also for alerts restored from before a restart: the sink ignores keys that are not open. */
  private clear(part: Parameters<AlertSink['clear']>[0]): void {
    this.raised.delete(JSON.stringify(part));
    this.deps.alerts.clear(part);
  }
}
