import type { SiteConfig } from '../../config/schema/site.js';
import type { SensorKind } from '../../domain/sensors/types.js';
import type { Clock } from '../../ports/clock.js';
import type { Logger } from '../../ports/logger.js';
import type { MessageBus } from '../../ports/message-bus.js';
import type { AlertSink } from '../../ports/operations.js';
import type { Scheduler } from '../../ports/scheduler.js';
import type { CounterStore, SensorStore } from '../../ports/stores.js';
import type { InboxBatchDeps } from '../shared/inbox-batch.js';

export interface SensorServiceConfig {
  readonly sites: readonly SiteConfig[];
  /** Caps how late a sample is accepted, like the meters' (the retention job prunes stored ones). */
  readonly rawRetentionDays?: number;
  /** Staleness threshold per kind, minutes, where a sensor sets none (e.g. control.staleAfterMinutes). */
  readonly staleAfterMinutes?: Partial<Record<SensorKind, number>>;
}

/**
 * With `inbox` and `atomically`, sensor messages are kept in the bus's write-ahead inbox until the
 * flush that stores their samples and quarters deletes them in the same transaction.
 */
export interface SensorServiceDeps extends InboxBatchDeps {
  readonly bus: MessageBus;
  readonly clock: Clock;
  readonly log: Logger;
  readonly scheduler: Scheduler;
  readonly store: SensorStore;
  readonly config: SensorServiceConfig;
  /** When given, rejections are also counted persistently per sensor and reason. */
  readonly rejections?: CounterStore;
  /** Default 64 KiB. */
  readonly maxPayloadBytes?: number;
  /** Default 5 minutes. */
  readonly futureToleranceMs?: number;
  /** Default 7 days, and never more than the raw retention. */
  readonly maxAgeMs?: number;
  /** Buffered writes are flushed this often, and on stop. Default 2 s. */
  readonly flushEverySeconds?: number;
  /** Also flush once the stream pauses for a second, when the interval is above 2 s (QuietFlush). */
  readonly flushWhenQuiet?: boolean;
  /** Rejection log lines per sensor and reason per minute. Default 5. */
  readonly logLinesPerMinute?: number;
  /** When given, a failing store raises a `store-unwritable` alert (subject `sensors`) until writes resume. */
  readonly alerts?: AlertSink;
  /** The longest wait between write attempts while the store fails. Default 60 s. */
  readonly maxRetryBackoffMs?: number;
}

/** The newest value of a sensor kind in a space (or at the site). */
export interface LatestSensorValue {
  readonly sensorId: string;
  readonly kind: SensorKind;
  readonly value: number;
  readonly tsMs: number;
  readonly receivedAtMs: number;
  /** Whether the sensor counted as stale at the time asked. */
  readonly stale: boolean;
}

/** When a sensor was last heard from and after how long it counts as stale (for the safety layer). */
export interface SensorFreshness {
  readonly id: string;
  readonly siteId: string;
  readonly spaceId: string | null;
  readonly kind: SensorKind;
  readonly lastSeenMs?: number;
  readonly staleAfterMinutes: number;
}

export type OccupancyListener = (siteId: string, spaceId: string, occupied: boolean, tsMs: number) => void;
