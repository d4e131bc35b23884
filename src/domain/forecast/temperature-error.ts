/**
 * How far the outdoor temperature forecasts were from what the site's outdoor sensor then measured.
 * Each forecast's first `leadHours` hours are kept until the hour has passed and its measured hourly
 * mean is in; then the error (forecast minus measured, K) is scored, per source of the forecast
 * ('topic', 'recent-days'), and kept for `windowHours`. A later forecast of the same hour is scored
 * too: the figures are over every (forecast, hour) pair, as a planner sees them hour after hour.
 * Errors are in kelvin, not relative: a relative error divides by a mean near 0 °C in winter.
 * Pure: time comes in as arguments.
 */
import { HOUR_MS } from './types.js';

export interface ForecastErrorStats {
  /** Scored (forecast, hour) pairs. */
  readonly hours: number;
  /** Mean absolute error, K; null without pairs. */
  readonly maeK: number | null;
  /** Root mean square error, K. */
  readonly rmseK: number | null;
  /** Mean of forecast minus measured, K: positive = forecasts too warm. */
  readonly biasK: number | null;
}

/** MAE, RMSE and bias of forecast minus measured errors (K). */
export function forecastErrorStats(errorsK: readonly number[]): ForecastErrorStats {
  const n = errorsK.length;
  if (n === 0) return { hours: 0, maeK: null, rmseK: null, biasK: null };
  let abs = 0;
  let sq = 0;
  let sum = 0;
  for (const e of errorsK) {
    abs += Math.abs(e);
    sq += e * e;
    sum += e;
  }
  return { hours: n, maeK: abs / n, rmseK: Math.sqrt(sq / n), biasK: sum / n };
}

export interface TemperatureErrorOptions {
  /** Hours of each forecast that are scored, from its origin. Default 24. */
  readonly leadHours?: number;
  /** Scored pairs are kept this long after their hour. Default 7 days. */
  readonly windowHours?: number;
  /** An hour is scored this long after it ends, so its measured mean is complete. Default 1 h. */
  readonly settleHours?: number;
  /** An hour still without a measurement this long after it ends is given up. Default 6 h. */
  readonly giveUpHours?: number;
}

interface Pending {
  readonly originMs: number;
  readonly forecastC: number;
  readonly source: string;
}

interface Scored {
  readonly hourMs: number;
  readonly source: string;
  readonly errorK: number;
}

export class TemperatureErrorTracker {
  private readonly leadHours: number;
  private readonly windowMs: number;
  private readonly settleMs: number;
  private readonly giveUpMs: number;
  /** Hour start -> the forecasts of it not yet scored. */
  private readonly pending = new Map<number, Pending[]>();
  private scored: Scored[] = [];

  constructor(options: TemperatureErrorOptions = {}) {
    this.leadHours = options.leadHours ?? 24;
    this.windowMs = (options.windowHours ?? 7 * 24) * HOUR_MS;
    this.settleMs = (options.settleHours ?? 1) * HOUR_MS;
    this.giveUpMs = (options.giveUpHours ?? 6) * HOUR_MS;
  }

  /**
   * Keeps a forecast made at `originMs` (a UTC hour start) for scoring; a second forecast from the
   * same origin replaces the first. `sources[i]` says where `temperatureC[i]` came from.
   */
  record(
    originMs: number,
    tsMs: readonly number[],
    temperatureC: readonly (number | null)[],
    sources: readonly string[],
  ): void {
    for (let i = 0; i < tsMs.length; i++) {
      const hourMs = tsMs[i];
      const forecastC = temperatureC[i];
      if (hourMs === undefined || hourMs < originMs || hourMs >= originMs + this.leadHours * HOUR_MS)
        continue;
      if (forecastC === null || forecastC === undefined || !Number.isFinite(forecastC)) continue;
      const list = (this.pending.get(hourMs) ?? []).filter((p) => p.originMs !== originMs);
      list.push({ originMs, forecastC, source: sources[i] ?? 'unknown' });
      this.pending.set(hourMs, list);
    }
  }

  /** The hours [fromMs, toMs) whose measurements `score` may need now; undefined = none. */
  due(nowMs: number): { fromMs: number; toMs: number } | undefined {
    const ready = [...this.pending.keys()].filter((h) => h + HOUR_MS + this.settleMs <= nowMs);
    if (ready.length === 0) return undefined;
    return { fromMs: Math.min(...ready), toMs: Math.max(...ready) + HOUR_MS };
  }

  /** Scores the settled hours that `measuredC` (hour start -> measured mean °C) has; drops old ones. */
  score(measuredC: ReadonlyMap<number, number>, nowMs: number): number {
    let added = 0;
    for (const [hourMs, list] of this.pending) {
      const endMs = hourMs + HOUR_MS;
      if (endMs + this.settleMs > nowMs) continue;
      const measured = measuredC.get(hourMs);
      if (measured !== undefined && Number.isFinite(measured)) {
        for (const p of list) this.scored.push({ hourMs, source: p.source, errorK: p.forecastC - measured });
        added += list.length;
        this.pending.delete(hourMs);
      } else if (endMs + this.giveUpMs <= nowMs) {
        this.pending.delete(hourMs);
      }
    }
    const oldest = nowMs - this.windowMs;
    this.scored = this.scored.filter((s) => s.hourMs >= oldest);
    return added;
  }

  /** Over every source, and per source. */
  stats(): {
    readonly all: ForecastErrorStats;
    readonly bySource: Readonly<Record<string, ForecastErrorStats>>;
  } {
    const bySource: Record<string, number[]> = {};
    for (const s of this.scored) {
      const list = bySource[s.source] ?? [];
      list.push(s.errorK);
      bySource[s.source] = list;
    }
    return {
      all: forecastErrorStats(this.scored.map((s) => s.errorK)),
      bySource: Object.fromEntries(Object.entries(bySource).map(([k, v]) => [k, forecastErrorStats(v)])),
    };
  }

  /** Forecast hours waiting for their measurement. */
  get pendingHours(): number {
    return this.pending.size;
  }
}
