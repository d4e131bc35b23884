/**
 * The savings ledger as a running service. Every hour, for the hours just completed (and the few
 * before them, so late readings are counted; rows are upserted, so re-running an hour never
 * double counts), per space and end use:
 *
 * - baseline method: the persisted baseline of the series (TOWT on the configured baseline period,
 *   no residual correction; fitted in the FitRunner, saved in the model registry as kind
 *   `baseline`) against the metered energy. A baseline the M&V rules reject (too little data,
 *   too few months to calibrate, a level shift inside the period) yields no rows, and says why.
 * - randomized method (sites with a design): once a day, the randomized estimate over the design's
 *   days so far, once each arm has `minDaysPerArm` complete days; rows for the treatment days.
 *
 * Without a configured baseline period, the readings gathered before a space first went active
 * (shadow mode, or before control started) are its baseline period; it is fitted once the
 * CalTRACK sufficiency rules pass on it. Until then, and for sites without a design of their own,
 * a randomized on/off verification period starts by itself the day after the site goes active,
 * and a new one whenever the plan settings change (their hash differs).
 *
 * Rows carry the kind by the space's mode: `measured` when active, `estimated` in shadow mode
 * (control was computed, not sent); spaces in mode `off` get none. Cost is priced at the tariff of
 * the series' first meter, CO2 at the site's grid factor. The two kinds and the two methods are
 * stored apart and never summed together (the store's queries require both).
 *
 * `armFor(siteId, dateLocal)` tells the control loop which arm a day belongs to.
 */

import type { ForecastConfig, SavingsConfig } from '../../config/schema/analytics.js';
import type { ControlConfig } from '../../config/schema/control.js';
import type { SiteConfig } from '../../config/schema/site.js';
import type { TariffsConfig } from '../../config/schema/tariff.js';
import { type SpaceMode, spaceModeOf } from '../../domain/control/space-mode.js';
import type { EndUse } from '../../domain/energy.js';
import { prepareSeries } from '../../domain/forecast/prepared.js';
import { assessSufficiency, BASELINE_RULES } from '../../domain/forecast/sufficiency.js';
import { HOUR_MS, type HourlySeries } from '../../domain/forecast/types.js';
import type { LedgerKind } from '../../domain/savings/ledger.js';
import {
  dailyOutcomes,
  estimateRandomized,
  MIN_USABLE_DAYS_PER_ARM,
  type RandomizedEstimate,
  usableDaysPerArm,
} from '../../domain/savings/randomized-estimate.js';
import type { Clock } from '../../ports/clock.js';
import type { Component } from '../../ports/component.js';
import type { Logger } from '../../ports/logger.js';
import { type AlertSink, noAlerts } from '../../ports/operations.js';
import type { ScheduledJob, Scheduler } from '../../ports/scheduler.js';
import type {
  IntervalStore,
  KeyValueStore,
  ModelRegistryStore,
  SavingsLedgerStore,
} from '../../ports/stores.js';
import { type BaselineRecord, parseBaseline } from '../modelling/baseline-record.js';
import { SiteCalendars } from '../modelling/calendar.js';
import type { FitRunner } from '../modelling/fit-runner.js';
import { buildSeries, floorHour, type TemperatureHistory } from '../modelling/series.js';
import { type MeteredSpace, meteredSpaces, seriesKey, spaceKey } from '../modelling/spaces.js';
import { estimateKey, serializeEstimate } from './estimates.js';
import { weeklyShift, writeNonRoutine } from './non-routine.js';
import { baselinePeriod, localDate, localMidnightMs, type Period } from './periods.js';
import { planSettingsHash } from './plan-settings.js';
import { emissionFactorOf, tariffOf } from './pricing.js';
import { type DayArm, RandomizedDesigns, type SiteDesign } from './randomized-designs.js';
import { baselineRows, randomizedRows } from './rollup.js';
import { nextDate } from './verification-periods.js';

/** Hours before the last roll-up recomputed each time, for readings that arrive late. */
export const RECOMPUTE_HOURS = 3;
/** Longest stretch caught up after downtime (or back-filled from imported history). */
export const MAX_CATCH_UP_HOURS = 7 * 24;
const RETRY_BASELINE_MS = 24 * HOUR_MS;
const DAY_MS = 24 * HOUR_MS;

export interface SavingsLedgerDeps {
  readonly clock: Clock;
  readonly scheduler: Scheduler;
  readonly log: Logger;
  readonly intervals: IntervalStore;
  readonly models: ModelRegistryStore;
  readonly ledger: SavingsLedgerStore;
  readonly settings: KeyValueStore;
  readonly runner: FitRunner;
  readonly sites: readonly SiteConfig[];
  readonly control: ControlConfig;
  readonly tariffs: TariffsConfig;
  readonly savings: SavingsConfig;
  readonly forecast: ForecastConfig;
  readonly temperature?: TemperatureHistory;
  /** The schedules in force (part of the plan settings whose change starts a new verification period). */
  readonly schedules?: unknown;
  /** A space's mode as set by an operator or the config; default: the config's. */
  readonly modeOf?: (siteId: string, spaceId: string) => SpaceMode;
  /** Where conditions a person should see are raised; default: discarded. */
  readonly alerts?: AlertSink;
}

/** The parts of the config a reload may change while the ledger runs. */
export interface SavingsReconfig {
  readonly sites?: readonly SiteConfig[];
  readonly control: ControlConfig;
  readonly tariffs: TariffsConfig;
  readonly savings: SavingsConfig;
  readonly schedules?: unknown;
  /** The holiday calendar settings (the baseline's day types); absent = unchanged. */
  readonly forecast?: ForecastConfig;
}

type SavingsInForce = SavingsReconfig & {
  readonly sites: readonly SiteConfig[];
  readonly forecast: ForecastConfig;
};

interface LoadedBaseline {
  readonly record: BaselineRecord;
  /** Domain version (method and window) plus the registry version, as written on ledger rows. */
  readonly version: string;
}

export class SavingsLedgerService implements Component {
  readonly name = 'savings';
  private spaces: MeteredSpace[];
  private calendars: SiteCalendars;
  private cfg: SavingsInForce;
  private readonly baselines = new Map<string, LoadedBaseline>();
  private readonly baselineAttempts = new Map<string, number>();
  private readonly estimates = new Map<string, RandomizedEstimate>();
  private readonly estimatedDay = new Map<string, string>();
  private flaggedDay = Number.NaN;
  private designs: RandomizedDesigns | undefined;
  private readonly jobs: ScheduledJob[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private chain: Promise<void> = Promise.resolve();
  private stopped = false;
  /** Series whose baseline was attempted and refused in the current roll-up, reported in one line. */
  private noBaseline: { series: string; reason: string }[] = [];
  /** Series whose pre-active readings are not yet a sufficient baseline (a verification design covers them). */
  private gathering: { series: string; reason: string }[] = [];

  constructor(private readonly deps: SavingsLedgerDeps) {
    this.spaces = meteredSpaces(deps.sites);
    this.calendars = new SiteCalendars(deps.forecast, deps.sites);
    this.cfg = {
      sites: deps.sites,
      control: deps.control,
      tariffs: deps.tariffs,
      savings: deps.savings,
      schedules: deps.schedules,
      forecast: deps.forecast,
    };
  }

  /**
   * Takes a reloaded config, counted from the next roll-up: spaces and meters (a new series is
   * counted, a re-metered one gets a baseline of its new meters), modes, tariffs (rows written from
   * then on are priced at the new one), holiday calendars (the baseline's day types), baseline
   * periods and randomized designs (a new design is read or created, a changed one warned about as
   * at start), and plan settings (schedules, comfort bands: a new verification period).
   */
  reconfigure(next: SavingsReconfig): void {
    // Everything is built before anything changes, so a failure leaves the old config whole.
    const cfg: SavingsInForce = {
      ...next,
      sites: next.sites ?? this.cfg.sites,
      forecast: next.forecast ?? this.cfg.forecast,
    };
    const spaces = meteredSpaces(cfg.sites);
    const calendars = new SiteCalendars(cfg.forecast, cfg.sites);
    const designs = this.designs ? this.buildDesigns(cfg) : undefined;
    this.cfg = cfg;
    this.spaces = spaces;
    this.calendars = calendars;
    if (designs) this.designs = designs;
    // Re-estimate the randomized figures and retry refused baselines at the next roll-up, on the new config.
    this.estimatedDay.clear();
    this.baselineAttempts.clear();
  }

  private buildDesigns(cfg: SavingsInForce): RandomizedDesigns {
    return new RandomizedDesigns(
      cfg.savings.randomized,
      this.deps.settings,
      new Map(cfg.sites.map((s) => [s.id, s.timezone])),
      this.deps.log,
      cfg.savings.verification,
    );
  }

  private get alerts(): AlertSink {
    return this.deps.alerts ?? noAlerts;
  }

  async start(): Promise<void> {
    this.designs = this.buildDesigns(this.cfg);
    // The first roll-up is the next hourly one (it catches up on the hours missed while stopped),
    // so starting the service costs nothing here.
    this.jobs.push(
      this.deps.scheduler.schedule('savings-ledger', { everyMinutes: 60, atSecond: 50 }, () => {
        this.track(this.rollUp());
      }),
    );
  }

  async stop(): Promise<void> {
    for (const job of this.jobs.splice(0)) job.cancel();
    // A roll-up in progress ends after the series now being written; the runner belongs to the caller.
    this.stopped = true;
    await this.whenIdle();
  }

  async whenIdle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Arm of a local date (YYYY-MM-DD) at a site: `schedule` on control days, else `optimized`. */
  armFor(siteId: string, dateLocal: string): DayArm {
    return this.designs?.armFor(siteId, dateLocal) ?? 'optimized';
  }

  /** Arm in force at an instant, by the site's local date. */
  armAt(siteId: string, tMs: number): DayArm {
    return this.designs?.armAt(siteId, tMs) ?? 'optimized';
  }

  /** A site's randomized designs, oldest first: the configured one, or its automatic verification periods. */
  verificationPeriods(siteId: string): SiteDesign[] {
    return this.designs?.history(siteId) ?? [];
  }

  /** The latest randomized estimate of a series, once enough days exist. */
  randomizedEstimate(siteId: string, spaceId: string, endUse: EndUse): RandomizedEstimate | undefined {
    return this.estimates.get(seriesKey(siteId, spaceId, endUse));
  }

  /** One roll-up of the hours completed so far; runs are serialized. */
  rollUp(): Promise<void> {
    const run = this.chain.then(() => this.rollUpNow());
    this.chain = run.catch(() => undefined);
    return run;
  }

  private track(promise: Promise<void>): void {
    const p = promise.catch((error: unknown) =>
      this.deps.log.error({ err: error }, 'savings roll-up failed'),
    );
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  private async rollUpNow(): Promise<void> {
    const startedMs = performance.now();
    const nowHour = floorHour(this.deps.clock.now());
    const counts = { measured: 0, estimated: 0, randomized: 0, withoutBaseline: 0 };
    this.startVerification(nowHour);
    for (const space of this.spaces) {
      const kind = this.kindOf(space);
      if (!kind || this.stopped) continue;
      for (const [endUse, meterIds] of space.endUses) {
        const written = await this.baselineSeries(space, endUse, meterIds, kind, nowHour);
        if (written === undefined) counts.withoutBaseline++;
        else counts[kind] += written;
      }
    }
    for (const site of this.designs?.all() ?? [])
      counts.randomized += this.randomizedSite(site.siteId, nowHour);
    if (Math.floor(nowHour / DAY_MS) !== this.flaggedDay) {
      this.flaggedDay = Math.floor(nowHour / DAY_MS);
      this.flagNonRoutine(nowHour);
    }
    if (this.noBaseline.length > 0) {
      this.deps.log.warn(
        {
          series: this.noBaseline.map((n) => n.series),
          reasons: [...new Set(this.noBaseline.map((n) => n.reason))],
        },
        `no baseline for ${this.noBaseline.length} series: no savings reported for them (retried daily)`,
      );
      this.noBaseline = [];
    }
    if (this.gathering.length > 0) {
      this.deps.log.info(
        {
          series: this.gathering.map((n) => n.series),
          reasons: [...new Set(this.gathering.map((n) => n.reason))],
        },
        `baseline still being gathered for ${this.gathering.length} series (readings before a space goes active become its baseline); randomized verification measures active spaces meanwhile`,
      );
      this.gathering = [];
    }
    const line = {
      ...counts,
      through: new Date(nowHour).toISOString(),
      ms: Math.round(performance.now() - startedMs),
    };
    if (counts.measured + counts.estimated + counts.randomized > 0)
      this.deps.log.info(line, 'savings ledger updated');
    else this.deps.log.debug(line, 'savings ledger: nothing new');
  }

  /** Sites with an active space get a verification period (or a new one after a plan change). */
  private startVerification(nowHour: number): void {
    if (!this.designs) return;
    const hash = planSettingsHash(this.cfg.control, this.cfg.schedules ?? null);
    for (const site of this.cfg.sites) {
      const active = this.spaces.some((s) => s.siteId === site.id && this.kindOf(s) === 'measured');
      if (!active) continue;
      const started = this.designs.ensureAuto(
        site.id,
        nextDate(localDate(nowHour, site.timezone)),
        hash,
        this.deps.clock.now(),
      );
      if (started) this.estimatedDay.delete(site.id);
    }
  }

  /**
   * Once a day: the weekly savings share of each measured baseline series since it went active,
   * checked for a level shift; the flag (or its absence) is kept for the read model.
   */
  private flagNonRoutine(nowHour: number): void {
    for (const space of this.spaces) {
      for (const endUse of space.endUses.keys()) {
        const key = seriesKey(space.siteId, space.spaceId, endUse);
        const since = Number(this.deps.settings.get(`savings.activeSince.${key}`));
        if (!Number.isFinite(since)) continue;
        const periods: { fromMs: number; toMs: number }[] = [];
        for (let t = since; t + 7 * DAY_MS <= nowHour; t += 7 * DAY_MS)
          periods.push({ fromMs: t, toMs: t + 7 * DAY_MS });
        if (periods.length < 8) continue;
        const weeks = this.deps.ledger
          .sumLedgerByPeriod({
            kind: 'measured',
            method: 'baseline',
            periods,
            siteId: space.siteId,
            spaceId: space.spaceId,
            endUse,
          })
          .map((w) => ({ fromMs: w.periodStartMs, baselineKWh: w.baselineKWh, avoidedKWh: w.avoidedKWh }));
        const flag = weeklyShift(weeks);
        writeNonRoutine(this.deps.settings, key, flag ? [flag] : []);
      }
    }
  }

  private modeOf(siteId: string, spaceId: string): SpaceMode {
    return this.deps.modeOf?.(siteId, spaceId) ?? spaceModeOf(this.cfg.control, siteId, spaceId);
  }

  private kindOf(space: MeteredSpace): LedgerKind | undefined {
    const mode = this.modeOf(space.siteId, space.spaceId);
    return mode === 'active' ? 'measured' : mode === 'shadow' ? 'estimated' : undefined;
  }

  private ctx(space: MeteredSpace, endUse: EndUse, meterIds: readonly string[], kind: LedgerKind) {
    return {
      siteId: space.siteId,
      spaceId: space.spaceId,
      endUse,
      kind,
      tariff: tariffOf(this.cfg.tariffs, meterIds[0] ?? ''),
      emissionFactor: emissionFactorOf(this.cfg.tariffs, space.siteId),
    };
  }

  /** Rows written for the series, or undefined when it has no usable baseline. */
  private async baselineSeries(
    space: MeteredSpace,
    endUse: EndUse,
    meterIds: readonly string[],
    kind: LedgerKind,
    nowHour: number,
  ): Promise<number | undefined> {
    const key = seriesKey(space.siteId, space.spaceId, endUse);
    const startKey = `savings.reportingStart.${key}`;
    let reportingStart = Number(this.deps.settings.get(startKey));
    if (!Number.isFinite(reportingStart)) {
      reportingStart = nowHour;
      this.deps.settings.set(startKey, String(nowHour));
    }
    if (kind === 'measured') {
      // What was gathered before the space first went active (shadow mode, or before control
      // started) is its baseline: no import and no configured period needed.
      const activeKey = `savings.activeSince.${key}`;
      const activeSince = Number(this.deps.settings.get(activeKey));
      if (Number.isFinite(activeSince)) reportingStart = activeSince;
      else {
        reportingStart = nowHour;
        this.deps.settings.set(activeKey, String(nowHour));
      }
    }
    const period = baselinePeriod(this.cfg.savings, { ...space, endUse }, space.timeZone, reportingStart);
    if (period.toMs > nowHour) return undefined;
    const baseline = await this.baselineFor(space, endUse, meterIds, period, nowHour);
    if (!baseline) return undefined;

    const doneKey = `savings.ledgerUntil.${key}`;
    const done = Number(this.deps.settings.get(doneKey));
    // Hours already written under the other kind (the mode changed since) stay as they were:
    // recomputing them as this kind would count the same hour under both.
    const kindKey = `savings.ledgerKind.${key}`;
    const kindChanged = this.deps.settings.get(kindKey) !== kind;
    const fromMs = Math.max(
      period.toMs,
      nowHour - MAX_CATCH_UP_HOURS * HOUR_MS,
      Number.isFinite(done) ? done - (kindChanged ? 0 : RECOMPUTE_HOURS * HOUR_MS) : Number.NEGATIVE_INFINITY,
    );
    let written = 0;
    if (fromMs < nowHour) {
      const reporting = buildSeries(
        this.deps.intervals,
        baseline.record.params.usesTemperature ? this.deps.temperature : undefined,
        { siteId: space.siteId, spaceId: space.spaceId, endUse },
        meterIds,
        space.timeZone,
        fromMs,
        nowHour,
      );
      const rows = baselineRows(
        { ...baseline.record, baselineVersion: baseline.version },
        reporting,
        this.calendars.of(space.siteId).calendar,
        this.ctx(space, endUse, meterIds, kind),
      );
      this.deps.ledger.upsertLedger(rows);
      written = rows.length;
    }
    this.deps.settings.set(doneKey, String(nowHour));
    if (kindChanged) this.deps.settings.set(kindKey, kind);
    return written;
  }

  private async baselineFor(
    space: MeteredSpace,
    endUse: EndUse,
    meterIds: readonly string[],
    period: Period,
    nowHour: number,
  ): Promise<LoadedBaseline | undefined> {
    const key = seriesKey(space.siteId, space.spaceId, endUse);
    // The automatic period starts at the first reading within it, so only its end must match; a
    // baseline of other meters (the series was re-metered by a reload) is of another quantity.
    const matches = (r: BaselineRecord) =>
      r.trainEndMs === period.toMs &&
      (period.configured === false ? r.trainStartMs >= period.fromMs : r.trainStartMs === period.fromMs) &&
      (r.meterIds === undefined || r.meterIds.join('\n') === meterIds.join('\n'));
    const cached = this.baselines.get(key);
    if (cached && matches(cached.record)) return cached;
    const stored = this.deps.models.latestModel(space.siteId, space.spaceId, endUse, 'baseline');
    if (stored) {
      try {
        const record = parseBaseline(stored.json);
        if (matches(record)) {
          const loaded = { record, version: `${record.baselineVersion}@${stored.version}` };
          this.baselines.set(key, loaded);
          return loaded;
        }
      } catch (error) {
        this.deps.log.warn({ series: key, err: error }, 'stored baseline unreadable; it will be refitted');
      }
    }
    const last = this.baselineAttempts.get(key);
    if (last !== undefined && nowHour - last < RETRY_BASELINE_MS) return undefined;
    this.baselineAttempts.set(key, nowHour);
    const built = buildSeries(
      this.deps.intervals,
      this.deps.temperature,
      { siteId: space.siteId, spaceId: space.spaceId, endUse },
      meterIds,
      space.timeZone,
      period.fromMs,
      period.toMs,
    );
    const series = period.configured === false ? fromFirstReading(built) : built;
    if (!series.kWh.some((v) => v !== null)) {
      // Automatic period: the readings gathered from now on become the baseline; nothing is wrong.
      (period.configured === false ? this.gathering : this.noBaseline).push({
        series: key,
        reason: 'no readings before the baseline period ends (import the meter history for one)',
      });
      return undefined;
    }
    if (period.configured === false) {
      const data = prepareSeries(series, this.calendars.of(space.siteId).calendar);
      const sufficiency = assessSufficiency(data, { start: 0, end: data.n }, BASELINE_RULES);
      if (!sufficiency.sufficient) {
        const why = sufficiency.issues.filter((i) => i.level === 'error').map((i) => i.message);
        this.gathering.push({ series: key, reason: why.join('; ') });
        return undefined;
      }
    }
    const result = await this.deps.runner.fit({
      kind: 'baseline',
      series,
      calendar: this.calendars.of(space.siteId).spec,
      spaceId: space.spaceId,
      endUse,
      meterIds,
    });
    if (result.kind !== 'baseline') return undefined;
    const alert = {
      kind: 'model-guideline14',
      siteId: space.siteId,
      spaceId: space.spaceId,
      subject: endUse,
    } as const;
    if (result.record.unusable.length > 0) {
      this.noBaseline.push({ series: key, reason: result.record.unusable.join('; ') });
      this.alerts.raise({
        ...alert,
        severity: 'warning',
        message: `No savings baseline for ${key}: ${result.record.unusable.join('; ')}`,
      });
      return undefined;
    }
    this.alerts.clear(alert);
    const saved = this.deps.models.saveModel({
      siteId: space.siteId,
      spaceId: space.spaceId,
      endUse,
      modelKind: 'baseline',
      createdAtMs: this.deps.clock.now(),
      json: result.text,
    });
    const loaded = { record: result.record, version: `${result.record.baselineVersion}@${saved.version}` };
    this.baselines.set(key, loaded);
    this.deps.log.info({ series: key, version: loaded.version }, 'baseline fitted');
    return loaded;
  }

  /** Once per local day: re-estimates a site's randomized savings and rewrites its rows. */
  private randomizedSite(siteId: string, nowHour: number): number {
    const site = this.designs?.get(siteId);
    const zone = this.cfg.sites.find((s) => s.id === siteId)?.timezone;
    if (!site || !zone) return 0;
    const today = localDate(nowHour, zone);
    if (this.estimatedDay.get(siteId) === today) return 0;
    this.estimatedDay.set(siteId, today);
    const days = site.design.days;
    const lastDate = days[days.length - 1]?.date;
    if (!lastDate) return 0;
    const fromMs = localMidnightMs(site.startDate, zone);
    const toMs = Math.min(
      localMidnightMs(today, zone),
      localMidnightMs(lastDate, zone) + DAY_MS,
      site.endDate !== undefined ? localMidnightMs(site.endDate, zone) : Number.POSITIVE_INFINITY,
    );
    if (toMs <= fromMs) return 0;
    const treatedDates = new Set(days.filter((d) => d.arm === 'treatment').map((d) => d.date));
    let written = 0;
    for (const space of this.spaces.filter((s) => s.siteId === siteId)) {
      const kind = this.kindOf(space);
      if (!kind) continue;
      for (const [endUse, meterIds] of space.endUses) {
        const series = buildSeries(
          this.deps.intervals,
          this.deps.temperature,
          { siteId, spaceId: space.spaceId, endUse },
          meterIds,
          zone,
          fromMs,
          toMs,
        );
        const outcomes = dailyOutcomes(series, site.design);
        // Days at 0 kWh (a unit left off all day) cannot enter the log model: count only days with use.
        const usable = usableDaysPerArm(outcomes);
        const needed = Math.max(site.minDaysPerArm, MIN_USABLE_DAYS_PER_ARM);
        if (usable.treated < needed || usable.control < needed) continue;
        let estimate: RandomizedEstimate;
        try {
          estimate = estimateRandomized(outcomes);
        } catch (error) {
          this.deps.log.warn(
            { series: spaceKey(siteId, space.spaceId), endUse, err: error },
            'randomized estimate failed',
          );
          continue;
        }
        // Too few days for the week and weekday effects leave the interval undefined: no figure yet.
        if (!estimate.intervals.every((i) => Number.isFinite(i.lowShare) && Number.isFinite(i.highShare))) {
          continue;
        }
        this.estimates.set(seriesKey(siteId, space.spaceId, endUse), estimate);
        const lastOutcome = outcomes[outcomes.length - 1]?.date ?? today;
        const version = `${site.id}:${outcomes.length}d-to-${lastOutcome}`;
        this.deps.settings.set(
          estimateKey(seriesKey(siteId, space.spaceId, endUse), site.id),
          serializeEstimate(site.id, version, estimate),
        );
        const sinceMs = this.kindSince(seriesKey(siteId, space.spaceId, endUse), kind, nowHour);
        const hours = series.tsMs
          .map((startMs, i) => ({ startMs, measuredKWh: series.kWh[i] ?? null }))
          .filter((h) => h.startMs >= sinceMs && treatedDates.has(localDate(h.startMs, zone)));
        const rows = randomizedRows(
          hours,
          estimate.savingsShare,
          version,
          zone,
          this.ctx(space, endUse, meterIds, kind),
        );
        this.deps.ledger.upsertLedger(rows);
        written += rows.length;
      }
    }
    return written;
  }

  /**
   * Since when a series' randomized rows are of `kind`: rows written under the other kind before a
   * mode change stay as they were, so no hour is counted as both.
   */
  private kindSince(key: string, kind: LedgerKind, nowHour: number): number {
    const settingKey = `savings.randomizedKind.${key}`;
    const [storedKind, storedSince] = (this.deps.settings.get(settingKey) ?? '').split('@');
    if (storedKind === kind) return Number(storedSince) || 0;
    const sinceMs = storedKind === undefined || storedKind === '' ? 0 : nowHour;
    this.deps.settings.set(settingKey, `${kind}@${sinceMs}`);
    return sinceMs;
  }
}

/** The series from its first hour with a reading: the automatic baseline begins when the meter did. */
function fromFirstReading(series: HourlySeries): HourlySeries {
  const first = series.kWh.findIndex((v) => v !== null);
  if (first <= 0) return series;
  return {
    ...series,
    tsMs: series.tsMs.slice(first),
    kWh: series.kWh.slice(first),
    ...(series.temperatureC ? { temperatureC: series.temperatureC.slice(first) } : {}),
  };
}
