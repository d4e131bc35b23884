import type { EndUse } from '../../domain/energy.js';
import type { SeriesPoint } from '../../domain/export/line-protocol.js';
import type { FieldOf, Measurement, TagOf } from '../../domain/export/series-schema.js';
import type { SensorRef, SensorSample } from '../../domain/sensors/types.js';
import type { IntervalRow, LedgerRow, SetpointAuditEntry } from '../../ports/stores.js';

type Value = number | boolean | string | undefined;

/** A point whose measurement, tags and fields are checked against SERIES_SCHEMA at compile time. */
function point<M extends Measurement>(
  measurement: M,
  tags: Partial<Record<TagOf<M>, string | null>>,
  fields: Partial<Record<FieldOf<M>, Value | null>>,
  tsMs: number,
): SeriesPoint {
  const t: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(tags)) t[k] = typeof v === 'string' ? v : undefined;
  const f: Record<string, Value> = {};
  for (const [k, v] of Object.entries(fields)) f[k] = v === null ? undefined : (v as Value);
  return { measurement, tags: t, fields: f, tsMs };
}

export function intervalPoint(row: IntervalRow): SeriesPoint {
  return point(
    'energy',
    { site: row.siteId, space: row.spaceId, meter: row.meterId, end_use: row.endUse },
    { kwh: row.energyKWh, coverage: row.coverage, missing: row.missing },
    row.startMs,
  );
}

export function sensorPoint(sample: SensorSample, ref: SensorRef): SeriesPoint {
  return point(
    'sensor',
    { site: ref.siteId, space: ref.spaceId, device: ref.sensorId, kind: ref.kind },
    { value: sample.value },
    sample.tsMs,
  );
}

/** The forecast fields the sink needs; ForecastService's SpaceForecast has them. */
export interface EnergyForecast {
  readonly siteId: string;
  readonly spaceId: string;
  readonly endUse: EndUse;
  readonly originMs: number;
  readonly tsMs: readonly number[];
  readonly kWh: readonly (number | null)[];
  readonly model: string;
  readonly modelVersion: number;
}

const HOUR_MS = 3_600_000;

export function forecastPoints(f: EnergyForecast): SeriesPoint[] {
  return f.tsMs.map((ts, i) =>
    point(
      'forecast',
      { site: f.siteId, space: f.spaceId, end_use: f.endUse },
      {
        kwh: f.kWh[i] ?? null,
        horizon_h: (ts - f.originMs) / HOUR_MS,
        model: f.model,
        model_version: f.modelVersion,
      },
      ts,
    ),
  );
}

export interface OccupancyOutlook {
  readonly siteId: string;
  readonly spaceId: string;
  readonly originMs: number;
  readonly tsMs: readonly number[];
  readonly probability: readonly number[];
}

export function occupancyForecastPoints(f: OccupancyOutlook): SeriesPoint[] {
  return f.tsMs.map((ts, i) =>
    point(
      'occupancy_forecast',
      { site: f.siteId, space: f.spaceId },
      { probability: f.probability[i], horizon_h: (ts - f.originMs) / HOUR_MS },
      ts,
    ),
  );
}

function numberIn(value: Record<string, unknown>, key: string): number | undefined {
  const v = value[key];
  return typeof v === 'number' ? v : undefined;
}

/** One point per decision, rewritten in place (same time, same tags) when published and acknowledged. */
export function setpointPoint(e: SetpointAuditEntry): SeriesPoint {
  let value: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(e.valueJson);
    if (typeof parsed === 'object' && parsed !== null) value = parsed as Record<string, unknown>;
  } catch {
    // An unreadable value still leaves the decision and its acknowledgement on record.
  }
  return point(
    'setpoint',
    { site: e.siteId, space: e.spaceId, device: e.deviceId, kind: e.kind },
    {
      level_pct: numberIn(value, 'levelPct'),
      setpoint_c: numberIn(value, 'setpointC'),
      heat_setpoint_c: numberIn(value, 'heatSetpointC'),
      cool_setpoint_c: numberIn(value, 'coolSetpointC'),
      hvac_mode: typeof value.mode === 'string' ? value.mode : undefined,
      active: e.mode === 'active',
      published: e.publishedAtMs !== null,
      acknowledged: e.acknowledgedAtMs !== null,
      ack_delay_s:
        e.acknowledgedAtMs !== null && e.publishedAtMs !== null
          ? (e.acknowledgedAtMs - e.publishedAtMs) / 1000
          : undefined,
      valid_minutes: (e.validUntilMs - e.decidedAtMs) / 60_000,
      setpoint_id: e.id,
      plan_id: e.planId,
      mode: e.mode,
      reason: e.reason,
    },
    e.decidedAtMs,
  );
}

export function ledgerPoint(row: LedgerRow): SeriesPoint {
  return point(
    'savings',
    {
      site: row.siteId,
      space: row.spaceId,
      end_use: row.endUse,
      kind: row.kind,
      method: row.method,
      currency: row.currency,
    },
    {
      baseline_kwh: row.baselineKWh,
      measured_kwh: row.measuredKWh,
      avoided_kwh: row.avoidedKWh,
      cost: row.cost,
      co2_kg: row.co2Kg,
      baseline_version: row.baselineVersion,
    },
    row.hourStartMs,
  );
}

/** Where a rejected message came from, when the config knows its source. */
export interface RejectionSource {
  readonly siteId: string;
  readonly spaceId: string | null;
  readonly kind: 'meter' | 'sensor';
}

/** A running total: a same-millisecond rewrite keeps the larger, later count. */
export function rejectionPoint(
  sourceId: string,
  reason: string,
  total: number,
  tsMs: number,
  source: RejectionSource | undefined,
): SeriesPoint {
  return point(
    'rejection',
    {
      site: source?.siteId ?? null,
      space: source?.spaceId ?? null,
      meter: source?.kind === 'meter' ? sourceId : null,
      device: source?.kind === 'meter' ? null : sourceId,
      kind: reason,
    },
    { total },
    tsMs,
  );
}
