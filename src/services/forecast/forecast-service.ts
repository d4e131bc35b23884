/**
 * Forecasts per space and end use (kWh per hour) and per space with an occupancy sensor (occupancy
 * probability), for the next 48 hours, for the planner.
 *
 * - Refreshed hourly through the scheduler and on demand (`refresh(spaceId?)`): cheap, from the
 *   models in memory and the recent history.
 * - Models are fitted in the FitRunner (a worker thread in production): nightly at `retrainAt` in
 *   each site's time zone, and at start or on demand for a series that has none yet. A nightly job
 *   only starts the work and returns, so neither the event loop nor the scheduler waits for a fit.
 * - Each fit is saved to the model registry (kind `forecast`, or `occupancy` under end use `total`)
 *   as versioned JSON and reloaded at start. The registry lives in the SQLite file in the storage
 *   directory, so one file keeps models, their versions and the data they were fitted on together.
 * - Cold start: the space type's prior until the forecasting sufficiency rules hold, then the model
 *   chosen by rolling-origin backtest (the switch happens at the next fit).
 * - `reconfigure` takes a reloaded config (spaces, meters, sensors, holiday calendar, refit time):
 *   see forecast-reconfig.ts for what each change does.
 */
import type { ForecastConfig } from '../../config/schema/analytics.js';
import type { SiteConfig } from '../../config/schema/site.js';
import { coverageWarning, type HolidayCalendar } from '../../domain/calendar/holidays.js';
import { localHours } from '../../domain/calendar/local-time.js';
import type { EndUse, SpaceType } from '../../domain/energy.js';
import { forecastHorizon } from '../../domain/forecast/horizon.js';
import { deserializeModel } from '../../domain/forecast/model-file.js';
import { type FittedForecaster, fromParams } from '../../domain/forecast/models.js';
import { type OccupancyParams, predictOccupancy } from '../../domain/forecast/occupancy.js';
import { prepareSeries } from '../../domain/forecast/prepared.js';
import type { SpacePrior } from '../../domain/forecast/prior.js';
import { HOUR_MS } from '../../domain/forecast/types.js';
import type { Clock } from '../../ports/clock.js';
import type { Component } from '../../ports/component.js';
import type { Logger } from '../../ports/logger.js';
import type { AlertSink } from '../../ports/operations.js';
import type { ScheduledJob, Scheduler } from '../../ports/scheduler.js';
import type { IntervalStore, ModelRegistryStore } from '../../ports/stores.js';
import type { WeatherForecastSource } from '../../ports/weather.js';
import { SiteCalendars } from '../modelling/calendar.js';
import type { FitRunner } from '../modelling/fit-runner.js';
import {
  buildSeries,
  floorHour,
  hourGrid,
  type OccupancyHourly,
  occupancySeries,
  type TemperatureHistory,
} from '../modelling/series.js';
import { type MeteredSpace, meteredSpaces, seriesKey, spaceKey } from '../modelling/spaces.js';
import { reportForecastFit } from './fit-alert.js';
import { type ForecastReconfig, planReconfig } from './forecast-reconfig.js';
import { priorFor as shippedPrior } from './priors.js';

export const HORIZON_HOURS = 48;
/** History handed to a forecast: seasonal naive looks up to four weeks back, the correction 48 h. */
const HISTORY_DAYS = 35;
const OCCUPANCY_TRAIN_DAYS = 90;
const DAY_MS = 86_400_000;

export interface SpaceForecast {
  readonly siteId: string;
  readonly spaceId: string;
  readonly endUse: EndUse;
  /** The hour the forecast starts (UTC hour start). */
  readonly originMs: number;
  /** UTC hour starts of the horizon. */
  readonly tsMs: readonly number[];
  /** kWh per hour; null where the model cannot forecast. */
  readonly kWh: readonly (number | null)[];
  readonly temperatureC: readonly (number | null)[];
  /** Model name, e.g. `towt-corrected`, or `prior-<type>` on a cold start. */
  readonly model: string;
  readonly modelVersion: number;
  readonly coldStart: boolean;
  readonly warnings: readonly string[];
}

export interface OccupancyForecast {
  readonly siteId: string;
  readonly spaceId: string;
  readonly originMs: number;
  readonly tsMs: readonly number[];
  /** Probability that the space is occupied, per hour, 0..1. */
  readonly probability: readonly number[];
  readonly modelVersion: number;
}

export interface ForecastServiceDeps {
  readonly clock: Clock;
  readonly scheduler: Scheduler;
  readonly log: Logger;
  readonly intervals: IntervalStore;
  readonly models: ModelRegistryStore;
  readonly runner: FitRunner;
  readonly sites: readonly SiteConfig[];
  readonly forecast: ForecastConfig;
  /** Site outdoor temperature per hour; absent = time-of-week models only. */
  readonly temperature?: TemperatureHistory;
  /** Space occupancy per hour; absent = no occupancy forecasts. */
  readonly occupancy?: OccupancyHourly;
  readonly priorFor?: (type: SpaceType) => SpacePrior;
  /** Outdoor temperature forecast per site (a forecast topic or a weather service); absent = recent-days model. */
  readonly weather?: WeatherForecastSource;
  /** Fitted models that miss Guideline 14 are reported here. */
  readonly alerts?: AlertSink;
}

interface LoadedModel {
  readonly fitted: FittedForecaster;
  readonly version: number;
}

export class ForecastService implements Component {
  readonly name = 'forecast';
  private spaces: MeteredSpace[];
  private calendars: SiteCalendars;
  /** The sites and forecast settings in force: the constructor's, then each reload's. */
  private cfg: ForecastReconfig;
  private readonly models = new Map<string, LoadedModel>();
  private readonly occupancyModels = new Map<string, { params: OccupancyParams; version: number }>();
  private readonly forecasts = new Map<string, SpaceForecast>();
  private readonly occupancyForecasts = new Map<string, OccupancyForecast>();
  private readonly warnedDay = new Map<string, number>();
  private readonly jobs: ScheduledJob[] = [];
  /** The nightly refits, one per time zone; rescheduled when a reload changes the zones or the time. */
  private retrainJobs: ScheduledJob[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  /** Fits run one batch at a time, in order. */
  private fitQueue: Promise<void> = Promise.resolve();
  private started = false;
  private stopped = false;

  constructor(private readonly deps: ForecastServiceDeps) {
    this.cfg = { sites: deps.sites, forecast: deps.forecast };
    this.spaces = meteredSpaces(deps.sites);
    this.calendars = new SiteCalendars(deps.forecast, deps.sites);
  }

  async start(): Promise<void> {
    this.loadModels();
    this.jobs.push(this.deps.scheduler.schedule('forecast-refresh', { everyMinutes: 60 }, () => this.kick()));
    this.scheduleRetrains();
    this.started = true;
    this.kick();
  }

  /**
   * Takes a reloaded config at once: forecasts of removed series go, new or re-metered series are
   * fitted and forecast now (in the background: `whenIdle` waits for them), a site whose holiday
   * calendar changed is forecast on the new calendar now and refitted on it.
   */
  reconfigure(next: ForecastReconfig): void {
    // Everything is computed before anything changes, so a failure leaves the old config whole.
    const plan = planReconfig(this.cfg, this.spaces, next);
    const calendars = new SiteCalendars(next.forecast, next.sites);
    this.cfg = next;
    this.spaces = plan.spaces;
    this.calendars = calendars;
    for (const key of plan.droppedSeries) {
      this.models.delete(key);
      this.forecasts.delete(key);
    }
    for (const key of plan.droppedOccupancy) {
      this.occupancyModels.delete(key);
      this.occupancyForecasts.delete(key);
    }
    if (!this.started || this.stopped) return;
    if (plan.rescheduleRetrains) this.scheduleRetrains();
    // Fits missing models (new and re-metered series), then forecasts everything on the new config.
    this.kick();
    if (plan.recalendaredSites.size > 0) {
      const sites = plan.recalendaredSites;
      this.track(this.retrain((s) => sites.has(s.siteId)));
    }
  }

  private scheduleRetrains(): void {
    for (const job of this.retrainJobs.splice(0)) job.cancel();
    for (const timezone of new Set(this.spaces.map((s) => s.timeZone))) {
      this.retrainJobs.push(
        this.deps.scheduler.schedule(
          `forecast-retrain-${timezone}`,
          { dailyAt: this.cfg.forecast.retrainAt, timezone },
          () => {
            // The zone's sites as configured when the job runs, so a reload between is honoured.
            this.track(this.retrain((s) => s.timeZone === timezone));
          },
        ),
      );
    }
  }

  async stop(): Promise<void> {
    for (const job of this.jobs.splice(0)) job.cancel();
    for (const job of this.retrainJobs.splice(0)) job.cancel();
    // A batch in progress ends after the fit now running; the runner belongs to the caller.
    this.stopped = true;
    await this.whenIdle();
  }

  /** Resolves when every refresh and fit started so far has finished. */
  async whenIdle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Recomputes every forecast in the background, e.g. on a newly published outdoor forecast; before start or after stop, nothing. */
  requestRefresh(): void {
    if (this.started && !this.stopped) this.kick();
  }

  forecastFor(siteId: string, spaceId: string, endUse: EndUse): SpaceForecast | undefined {
    return this.forecasts.get(seriesKey(siteId, spaceId, endUse));
  }

  /** The holiday calendar a site's forecasts are made (and its models fitted) on. */
  holidayCalendar(siteId: string): HolidayCalendar {
    return this.calendars.of(siteId).calendar;
  }

  occupancyFor(siteId: string, spaceId: string): OccupancyForecast | undefined {
    return this.occupancyForecasts.get(spaceKey(siteId, spaceId));
  }

  /** Recomputes forecasts (of one space, or all), fitting first any series that has no model yet. */
  async refresh(spaceId?: string): Promise<void> {
    const startedMs = performance.now();
    const selected = this.spaces.filter((s) => spaceId === undefined || s.spaceId === spaceId);
    const missing = selected.filter(
      (s) =>
        [...s.endUses.keys()].some((e) => !this.models.has(seriesKey(s.siteId, s.spaceId, e))) ||
        (this.wantsOccupancy(s) && !this.occupancyModels.has(spaceKey(s.siteId, s.spaceId))),
    );
    if (missing.length > 0) {
      // Forecasts from the models at hand first, so the planner need not wait for the fits.
      await this.computeAll(selected);
      const ids = new Set(missing.map((s) => spaceKey(s.siteId, s.spaceId)));
      await this.retrain((s) => ids.has(spaceKey(s.siteId, s.spaceId)), {
        onlyMissing: true,
        refresh: false,
      });
    }
    const { originMs, series, coldStart } = await this.computeAll(selected);
    this.warnCoverage(originMs);
    this.deps.log.info(
      {
        series,
        coldStart,
        origin: new Date(originMs).toISOString(),
        ms: Math.round(performance.now() - startedMs),
      },
      'forecasts refreshed',
    );
  }

  private async computeAll(
    selected: readonly MeteredSpace[],
  ): Promise<{ originMs: number; series: number; coldStart: number }> {
    const originMs = floorHour(this.deps.clock.now());
    const weather = await this.weatherFor(new Set(selected.map((s) => s.siteId)), originMs);
    const temperature = sameQueryOnce(this.deps.temperature);
    let series = 0;
    let coldStart = 0;
    for (const space of selected) {
      for (const [endUse, meterIds] of space.endUses) {
        const f = this.computeForecast(
          space,
          endUse,
          meterIds,
          originMs,
          weather.get(space.siteId),
          temperature,
        );
        if (!f) continue;
        series++;
        if (f.coldStart) coldStart++;
      }
      this.computeOccupancy(space, originMs);
    }
    return { originMs, series, coldStart };
  }

  /**
   * Refits models (in the runner) and saves them as new versions, then refreshes the forecasts.
   * Queued behind any batch already running.
   */
  retrain(
    filter: (space: MeteredSpace) => boolean = () => true,
    options: { onlyMissing?: boolean; refresh?: boolean } = {},
  ): Promise<void> {
    const run = this.fitQueue.then(() => this.fitBatch(filter, options.onlyMissing ?? false));
    this.fitQueue = run.catch(() => undefined);
    if (options.refresh === false) return run;
    return run.then(() => {
      const ids = new Set(this.spaces.filter(filter).map((s) => s.spaceId));
      if (ids.size === this.spaces.length) return this.refresh();
      return ids.size === 0 ? undefined : this.refreshMany(ids);
    });
  }

  private async refreshMany(spaceIds: Set<string>): Promise<void> {
    for (const id of spaceIds) await this.refresh(id);
  }

  private kick(): void {
    this.track(this.refresh());
  }

  private track(promise: Promise<void>): void {
    const p = promise.catch((error: unknown) => this.deps.log.error({ err: error }, 'forecast work failed'));
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  /** Whether the series is still measured by these meters in the config in force. */
  private stillMetered(space: MeteredSpace, endUse: EndUse, meterIds: readonly string[]): boolean {
    const current = this.spaces
      .find((s) => s.siteId === space.siteId && s.spaceId === space.spaceId)
      ?.endUses.get(endUse);
    return current !== undefined && current.join('\n') === meterIds.join('\n');
  }

  private wantsOccupancy(space: MeteredSpace): boolean {
    return space.hasOccupancySensor && this.deps.occupancy !== undefined;
  }

  private loadModels(): void {
    let loaded = 0;
    for (const space of this.spaces) {
      for (const endUse of space.endUses.keys()) {
        const record = this.deps.models.latestModel(space.siteId, space.spaceId, endUse, 'forecast');
        if (!record) continue;
        const parsed = deserializeModel(record.json);
        if (!parsed.ok) {
          this.deps.log.warn(
            { space: space.spaceId, endUse, version: record.version, error: parsed.error },
            'stored forecast model unreadable; it will be refitted',
          );
          continue;
        }
        this.models.set(seriesKey(space.siteId, space.spaceId, endUse), {
          fitted: fromParams(parsed.file.name, parsed.file.params),
          version: record.version,
        });
        loaded++;
      }
      const occ = this.deps.models.latestModel(space.siteId, space.spaceId, 'total', 'occupancy');
      if (occ) {
        try {
          const params = JSON.parse(occ.json) as OccupancyParams;
          if (params.kind === 'occupancy-how' && params.probability.length === 168) {
            this.occupancyModels.set(spaceKey(space.siteId, space.spaceId), { params, version: occ.version });
          }
        } catch {
          this.deps.log.warn(
            { space: space.spaceId },
            'stored occupancy model unreadable; it will be refitted',
          );
        }
      }
    }
    if (loaded > 0) this.deps.log.info({ models: loaded }, 'forecast models loaded');
  }

  private async fitBatch(filter: (space: MeteredSpace) => boolean, onlyMissing: boolean): Promise<void> {
    const startedMs = performance.now();
    const nowMs = this.deps.clock.now();
    const toMs = floorHour(nowMs);
    const fromMs = toMs - this.cfg.forecast.trainDays * DAY_MS;
    const chosen: Record<string, number> = {};
    let fitted = 0;
    for (const space of this.spaces.filter(filter)) {
      const calendar = this.calendars.of(space.siteId).spec;
      for (const [endUse, meterIds] of space.endUses) {
        const key = seriesKey(space.siteId, space.spaceId, endUse);
        if (this.stopped) return;
        if (onlyMissing && this.models.has(key)) continue;
        const full = buildSeries(
          this.deps.intervals,
          this.deps.temperature,
          { siteId: space.siteId, spaceId: space.spaceId, endUse },
          meterIds,
          space.timeZone,
          fromMs,
          toMs,
        );
        const result = await this.deps.runner.fit({
          kind: 'forecast',
          series: trimLeadingGap(full),
          calendar,
          prior: (this.deps.priorFor ?? shippedPrior)(space.spaceType),
          spaceId: space.spaceId,
          endUse,
          fittedAtMs: nowMs,
        });
        if (result.kind !== 'forecast') continue;
        // A reload during the fit changed or removed the series: this fit is of the old meters.
        if (!this.stillMetered(space, endUse, meterIds)) continue;
        const parsed = deserializeModel(result.modelText);
        if (!parsed.ok) throw new Error(`fitted model does not read back: ${parsed.error}`);
        const saved = this.deps.models.saveModel({
          siteId: space.siteId,
          spaceId: space.spaceId,
          endUse,
          modelKind: 'forecast',
          createdAtMs: nowMs,
          json: result.modelText,
        });
        this.models.set(key, {
          fitted: fromParams(parsed.file.name, parsed.file.params),
          version: saved.version,
        });
        chosen[result.modelName] = (chosen[result.modelName] ?? 0) + 1;
        fitted++;
        if (this.deps.alerts)
          reportForecastFit(this.deps.alerts, { ...space, endUse }, result.modelName, parsed.file.stats);
      }
      if (this.wantsOccupancy(space) && this.deps.occupancy) {
        const key = spaceKey(space.siteId, space.spaceId);
        if (onlyMissing && this.occupancyModels.has(key)) continue;
        const occFrom = toMs - Math.min(this.cfg.forecast.trainDays, OCCUPANCY_TRAIN_DAYS) * DAY_MS;
        const tsMs = hourGrid(occFrom, toMs);
        const result = await this.deps.runner.fit({
          kind: 'occupancy',
          series: { timeZone: space.timeZone, tsMs, kWh: tsMs.map(() => null) },
          occupied: occupancySeries(this.deps.occupancy, space.siteId, space.spaceId, occFrom, toMs),
          calendar,
        });
        if (result.kind !== 'occupancy') continue;
        const saved = this.deps.models.saveModel({
          siteId: space.siteId,
          spaceId: space.spaceId,
          endUse: 'total',
          modelKind: 'occupancy',
          createdAtMs: nowMs,
          json: JSON.stringify(result.params),
        });
        this.occupancyModels.set(key, { params: result.params, version: saved.version });
      }
    }
    if (fitted > 0 || !onlyMissing) {
      this.deps.log.info(
        { fitted, chosen, ms: Math.round(performance.now() - startedMs) },
        'forecast models fitted',
      );
    }
  }

  private computeForecast(
    space: MeteredSpace,
    endUse: EndUse,
    meterIds: readonly string[],
    originMs: number,
    temperatureForecastC: readonly (number | null)[] | undefined,
    temperature: TemperatureHistory | undefined,
  ): SpaceForecast | undefined {
    const key = seriesKey(space.siteId, space.spaceId, endUse);
    const model = this.models.get(key);
    if (!model) return undefined;
    const history = buildSeries(
      this.deps.intervals,
      temperature,
      { siteId: space.siteId, spaceId: space.spaceId, endUse },
      meterIds,
      space.timeZone,
      originMs - HISTORY_DAYS * DAY_MS,
      originMs,
    );
    const h = forecastHorizon(model.fitted, history, originMs, {
      hours: HORIZON_HOURS,
      calendar: this.calendars.of(space.siteId).calendar,
      ...(temperatureForecastC ? { temperatureForecastC } : {}),
    });
    const forecast: SpaceForecast = {
      siteId: space.siteId,
      spaceId: space.spaceId,
      endUse,
      originMs,
      tsMs: h.tsMs,
      kWh: h.kWh,
      temperatureC: h.temperatureC,
      model: model.fitted.name,
      modelVersion: model.version,
      coldStart: model.fitted.params.kind === 'prior',
      warnings: h.warnings,
    };
    this.forecasts.set(key, forecast);
    return forecast;
  }

  private computeOccupancy(space: MeteredSpace, originMs: number): void {
    const key = spaceKey(space.siteId, space.spaceId);
    const model = this.occupancyModels.get(key);
    // A fit that ended after a reload removed the sensor leaves a model that must not be used.
    if (!model || !this.wantsOccupancy(space)) return;
    const tsMs = hourGrid(originMs, originMs + HORIZON_HOURS * HOUR_MS);
    const data = prepareSeries({ timeZone: space.timeZone, tsMs }, this.calendars.of(space.siteId).calendar);
    const p = predictOccupancy(model.params, data, { start: 0, end: data.n });
    this.occupancyForecasts.set(key, {
      siteId: space.siteId,
      spaceId: space.spaceId,
      originMs,
      tsMs,
      probability: Array.from(p),
      modelVersion: model.version,
    });
  }

  /** The sites' temperature forecasts over the horizon, aligned hour by hour; a failing source is skipped. */
  private async weatherFor(siteIds: Set<string>, originMs: number): Promise<Map<string, (number | null)[]>> {
    const out = new Map<string, (number | null)[]>();
    if (!this.deps.weather) return out;
    for (const siteId of siteIds) {
      try {
        const f = await this.deps.weather.forecast(siteId, originMs, HORIZON_HOURS);
        const byHour = new Map(f.tsMs.map((t, i) => [t, f.temperatureC[i] ?? null]));
        out.set(
          siteId,
          hourGrid(originMs, originMs + HORIZON_HOURS * HOUR_MS).map((t) => byHour.get(t) ?? null),
        );
      } catch (error) {
        this.deps.log.warn(
          { site: siteId, err: error },
          'temperature forecast unavailable; using recent days',
        );
      }
    }
    return out;
  }

  /** Warns once per site and local day when the horizon runs past the holiday calendar. */
  private warnCoverage(originMs: number): void {
    const endMs = originMs + (HORIZON_HOURS - 1) * HOUR_MS;
    for (const site of this.cfg.sites) {
      const local = localHours([originMs, endMs], site.timezone);
      const today = local.localDay[0] ?? 0;
      const warning = coverageWarning(this.calendars.of(site.id).calendar, local.localDay[1] ?? today);
      if (!warning || this.warnedDay.get(site.id) === today) continue;
      this.warnedDay.set(site.id, today);
      this.deps.log.warn({ site: site.id }, warning);
    }
  }
}

/** Starts the series at its first reading, so a young meter is judged on the days it has existed. */
function trimLeadingGap<
  T extends {
    tsMs: readonly number[];
    kWh: readonly (number | null)[];
    temperatureC?: readonly (number | null)[];
    timeZone: string;
  },
>(series: T): T {
  const first = series.kWh.findIndex((v) => v !== null);
  // No reading at all: keep the last day, so the prior is scaled by its nominal mean.
  const from = first < 0 ? Math.max(0, series.kWh.length - 24) : first;
  if (from === 0) return series;
  return {
    ...series,
    tsMs: series.tsMs.slice(from),
    kWh: series.kWh.slice(from),
    ...(series.temperatureC ? { temperatureC: series.temperatureC.slice(from) } : {}),
  };
}

/**
 * Every series of a site reads the same outdoor temperature for the same hours in one refresh:
 * one query per site and window instead of one per series.
 */
function sameQueryOnce(temperature: TemperatureHistory | undefined): TemperatureHistory | undefined {
  if (!temperature) return undefined;
  const memo = new Map<string, ReturnType<TemperatureHistory>>();
  return (siteId, fromMs, toMs) => {
    const key = `${siteId}|${fromMs}|${toMs}`;
    let rows = memo.get(key);
    if (!rows) {
      rows = temperature(siteId, fromMs, toMs);
      memo.set(key, rows);
    }
    return rows;
  };
}
