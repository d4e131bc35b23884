import type { QuietWattConfig } from '../../config/schema/index.js';
import type { SpaceMode } from '../../domain/control/space-mode.js';
import type { SpacePlan } from '../../domain/planning/types.js';
import type { ReleaseState } from '../../domain/safety/context.js';
import type { SensorKind } from '../../domain/sensors/types.js';
import type { Clock } from '../../ports/clock.js';
import type { CommandLogStore } from '../../ports/command-log.js';
import type { AlertReader, CommandHandler } from '../../ports/operations.js';
import type { ComfortView, SavingsView } from '../../ports/savings-view.js';
import type { ModelRecord, SetpointAuditEntry } from '../../ports/stores.js';
import type { AuditPageQuery } from '../sqlite/audit-page-reader.js';
import type { AccessControl } from './auth/access-control.js';
import type { ConfigState } from './config-state.js';
import type { ReadinessProbe } from './readiness.js';

/** What the API shows of one device (the control service's `status()` rows). */
export interface DeviceStatusView {
  /** `site/space/device` */
  readonly key: string;
  readonly mode: SpaceMode;
  readonly commissioning: string;
  readonly ack: string;
  readonly handedBack: boolean;
  readonly lastValue?: string;
  readonly leaseUntilMs?: number;
  readonly overrideUntilMs?: number;
}

export interface PlanView {
  readonly planId: string;
  readonly plan: SpacePlan;
}

/** The control loop as the API reads it. */
export interface ControlView {
  status(): readonly DeviceStatusView[];
  releaseState(): ReleaseState;
  /** State reports that broke the MQTT contract, per device key, since start. */
  rejectedStateReports?(): Readonly<Record<string, number>>;
  /** The plan in force for a space; undefined when off or not planned yet. */
  planOf?(siteId: string, spaceId: string): PlanView | undefined;
  /** A space's mode and where it comes from: the config file or an operator (who wins until reset). */
  spaceMode?(
    siteId: string,
    spaceId: string,
  ): { readonly mode: SpaceMode; readonly source: 'config' | 'operator' } | undefined;
}

export interface MeterStatsView {
  readonly accepted: number;
  readonly rejected: Readonly<Partial<Record<string, number>>>;
  readonly lastReadingTsMs: number | null;
}

/** A buffered writer's side of the store: what is not written yet, and failed write attempts. */
export interface WriterStatsView {
  readonly writeFailures?: number;
  readonly writeFailingSinceMs?: number | null;
}

/** The ingest writer's own figures, without any meter's. */
export type IngestWriterView = WriterStatsView & {
  readonly pendingReadings?: number;
  readonly lastFlushWriteMs?: number;
  readonly flushPaced?: boolean;
};

export interface IngestView {
  stats(): IngestWriterView & { readonly meters: Readonly<Record<string, MeterStatsView>> };
  /**
   * Each meter's statistics as they are now, not copied: read them at once and keep nothing. A
   * scrape at 100,000 meters would otherwise copy every meter's (`stats`).
   */
  liveMeterStats?(): ReadonlyMap<string, MeterStatsView>;
  /** The writer's figures alone, without copying any meter's. */
  writerStats?(): IngestWriterView;
}

export interface SensorsView {
  freshness(): readonly {
    readonly id: string;
    readonly siteId: string;
    readonly spaceId: string | null;
    readonly kind: SensorKind;
    readonly lastSeenMs?: number;
    readonly staleAfterMinutes: number;
  }[];
  isStale(sensorId: string, nowMs: number): boolean;
  stats(): WriterStatsView & {
    readonly sensors: Readonly<
      Record<
        string,
        { readonly accepted: number; readonly rejected: Readonly<Partial<Record<string, number>>> }
      >
    >;
    readonly pendingSamples?: number;
  };
}

export interface SensorValueView {
  /** The newest value of a kind in a space (the sensor service's rule: fresh first, then newest). */
  latest(
    siteId: string,
    spaceId: string | null,
    kind: SensorKind,
  ): { readonly sensorId: string; readonly value: number; readonly tsMs: number } | undefined;
}

export interface AuditPages {
  page(query: AuditPageQuery): SetpointAuditEntry[];
}

export interface ModelList {
  listModels(filter?: { readonly siteId?: string; readonly spaceId?: string }): ModelRecord[];
}

/** Everything the HTTP server reads; small interfaces, so tests pass fakes and real services alike. */
/** Error of one forecast source, K; null without scored hours. */
export interface TemperatureErrorView {
  readonly hours: number;
  readonly maeK: number | null;
  readonly rmseK: number | null;
  readonly biasK: number | null;
}

/** The sites' outdoor temperature forecasts: where they come from and how far off they were. */
export interface OutdoorForecastView {
  status(): readonly {
    readonly siteId: string;
    readonly topic: string | null;
    readonly source: string;
    readonly issuedAtMs: number | null;
    readonly accepted: number;
    readonly rejected: Readonly<Record<string, number>>;
    readonly error: TemperatureErrorView;
    readonly errorBySource: Readonly<Record<string, TemperatureErrorView>>;
  }[];
}

export interface HttpDeps {
  readonly clock: Clock;
  readonly config: ConfigState;
  readonly access: AccessControl;
  readonly control: ControlView;
  readonly ingest: IngestView;
  readonly sensors: SensorsView & SensorValueView;
  readonly savings: SavingsView;
  readonly comfort: ComfortView;
  readonly audit: AuditPages;
  readonly models: ModelList;
  readonly alerts: AlertReader;
  readonly commands: CommandHandler;
  /** The operator command log, newest first. */
  readonly commandLog: Pick<CommandLogStore, 'recent'>;
  readonly readiness: ReadinessProbe;
  /** Outdoor temperature forecasts; absent = not reported. */
  readonly outdoorForecast?: OutdoorForecastView;
}

export type CurrentConfig = () => Readonly<QuietWattConfig>;
