/**
 * The outdoor temperature forecast of each site, as a WeatherForecastSource for the forecast service.
 *
 * - A site with `outdoorForecastTopic` gets the latest valid forecast published there (a retained
 *   message serves at start), while it is no older than `outdoorForecastMaxAgeHours` by its issuedAt.
 * - Hours the published forecast does not cover, a stale forecast, or no topic at all: the
 *   recent-days model learned from the site's own outdoor sensor history.
 * - Invalid payloads are counted (per site and reason, and in the rejection counters) and logged at
 *   warning, rate-limited; the last valid forecast stays in use.
 * - Each forecast handed out is kept and scored against the measured hourly means once they are in
 *   (src/domain/forecast/temperature-error.ts), per site and per source.
 */
import type { SiteConfig } from '../../config/schema/site.js';
import { localHours } from '../../domain/calendar/local-time.js';
import {
  type OutdoorForecast,
  parseOutdoorForecast,
} from '../../domain/forecast/outdoor-forecast-payload.js';
import { type ForecastErrorStats, TemperatureErrorTracker } from '../../domain/forecast/temperature-error.js';
import { recentDaysTemperature } from '../../domain/forecast/temperature-forecast.js';
import { HOUR_MS } from '../../domain/forecast/types.js';
import { LogRateLimiter } from '../../domain/ingest/rate-limiter.js';
import type { Clock } from '../../ports/clock.js';
import type { Component } from '../../ports/component.js';
import type { Logger } from '../../ports/logger.js';
import type { InboundMessage, MessageBus } from '../../ports/message-bus.js';
import type { CounterStore } from '../../ports/stores.js';
import type { TemperatureForecast, WeatherForecastSource } from '../../ports/weather.js';
import { hourGrid, type TemperatureHistory } from '../modelling/series.js';
import { TopicSubscription } from '../shared/topic-subscription.js';

/** Days of sensor history the recent-days model reads. */
const RECENT_DAYS = 3;
const DAY_MS = 86_400_000;

export type OutdoorForecastSourceName = 'topic' | 'recent-days';

export interface OutdoorForecastStatus {
  readonly siteId: string;
  readonly topic: string | null;
  /** Where the next forecast's hours come from first: a fresh published forecast, or the sensor history. */
  readonly source: OutdoorForecastSourceName;
  /** issuedAt of the latest valid published forecast; null = none received. */
  readonly issuedAtMs: number | null;
  readonly accepted: number;
  readonly rejected: Readonly<Record<string, number>>;
  /** Error of the first 24 h of the forecasts handed out, over the last 7 days, overall and per source. */
  readonly error: ForecastErrorStats;
  readonly errorBySource: Readonly<Record<string, ForecastErrorStats>>;
}

export interface OutdoorForecastServiceDeps {
  readonly bus: MessageBus;
  readonly clock: Clock;
  readonly log: Logger;
  readonly sites: readonly SiteConfig[];
  /** The site's measured outdoor temperature, hourly means, [fromMs, toMs). */
  readonly temperature: TemperatureHistory;
  /** Rejected payloads are also counted here, under `outdoor-forecast:<site>`. */
  readonly rejections?: CounterStore;
  /** Called after a valid forecast is taken, e.g. to refresh the load forecasts on it. */
  readonly onUpdate?: (siteId: string) => void;
  /** Warning lines per site and reason per minute. Default 5. */
  readonly linesPerMinute?: number;
}

interface SiteState {
  latest?: OutdoorForecast;
  accepted: number;
  readonly rejected: Record<string, number>;
  readonly errors: TemperatureErrorTracker;
  /** issuedAt of the forecast last reported stale, so that is logged once. */
  staleLoggedMs?: number;
}

export class OutdoorForecastService implements Component, WeatherForecastSource {
  readonly name = 'outdoor-forecast';
  private sites: readonly SiteConfig[];
  private topicSites = new Map<string, string[]>();
  private readonly state = new Map<string, SiteState>();
  private readonly subscription: TopicSubscription;
  private readonly limiter: LogRateLimiter;

  constructor(private readonly deps: OutdoorForecastServiceDeps) {
    this.sites = deps.sites;
    this.subscription = new TopicSubscription(deps.bus, (m) => this.onMessage(m));
    this.limiter = new LogRateLimiter(deps.linesPerMinute ?? 5);
  }

  async start(): Promise<void> {
    await this.applySites(this.sites);
  }

  async stop(): Promise<void> {
    await this.subscription.release();
  }

  /** A reloaded config: topics added or removed; a site whose topic changed forgets its forecast. */
  async reconfigure(sites: readonly SiteConfig[]): Promise<void> {
    const before = new Map(this.sites.map((s) => [s.id, s.outdoorForecastTopic]));
    for (const site of sites) {
      const old = before.get(site.id);
      if (old !== site.outdoorForecastTopic) delete this.siteState(site.id).latest;
    }
    for (const id of before.keys()) if (!sites.some((s) => s.id === id)) this.state.delete(id);
    this.sites = sites;
    await this.applySites(sites);
  }

  private async applySites(sites: readonly SiteConfig[]): Promise<void> {
    const topics = new Map<string, string[]>();
    for (const site of sites) {
      if (site.outdoorForecastTopic === undefined) continue;
      topics.set(site.outdoorForecastTopic, [...(topics.get(site.outdoorForecastTopic) ?? []), site.id]);
    }
    this.topicSites = topics;
    await this.subscription.set([...topics.keys()]);
  }

  private siteState(siteId: string): SiteState {
    let s = this.state.get(siteId);
    if (!s) {
      s = { accepted: 0, rejected: {}, errors: new TemperatureErrorTracker() };
      this.state.set(siteId, s);
    }
    return s;
  }

  private onMessage(m: InboundMessage): void {
    const siteIds = this.topicSites.get(m.topic);
    if (!siteIds) return;
    const parsed = parseOutdoorForecast(Buffer.from(m.payload).toString('utf8'));
    for (const siteId of siteIds) {
      const s = this.siteState(siteId);
      if (!parsed.ok) {
        s.rejected[parsed.reason] = (s.rejected[parsed.reason] ?? 0) + 1;
        this.deps.rejections?.increment(`outdoor-forecast:${siteId}`, parsed.reason);
        const decision = this.limiter.check(`${siteId}|${parsed.reason}`, this.deps.clock.now());
        if (decision.log) {
          this.deps.log.warn(
            {
              site: siteId,
              topic: m.topic,
              reason: parsed.reason,
              detail: parsed.detail,
              ...(decision.suppressed > 0 ? { suppressed: decision.suppressed } : {}),
            },
            'outdoor forecast rejected; the last valid one stays in use',
          );
        }
        continue;
      }
      const f = parsed.forecast;
      if (s.latest && f.issuedAtMs < s.latest.issuedAtMs) {
        this.deps.log.debug({ site: siteId }, 'outdoor forecast older than the one in use; ignored');
        continue;
      }
      s.latest = f;
      s.accepted += 1;
      this.deps.log.debug(
        { site: siteId, issuedAt: new Date(f.issuedAtMs).toISOString(), hours: f.byHour.size },
        'outdoor forecast taken',
      );
      this.deps.onUpdate?.(siteId);
    }
  }

  /** The published forecast when fresh, for the next forecast; undefined = none or stale. */
  private fresh(site: SiteConfig, nowMs: number): OutdoorForecast | undefined {
    const s = this.state.get(site.id);
    const latest = s?.latest;
    if (!s || !latest || site.outdoorForecastTopic === undefined) return undefined;
    if (nowMs - latest.issuedAtMs <= site.outdoorForecastMaxAgeHours * HOUR_MS) return latest;
    if (s.staleLoggedMs !== latest.issuedAtMs) {
      s.staleLoggedMs = latest.issuedAtMs;
      this.deps.log.warn(
        {
          site: site.id,
          issuedAt: new Date(latest.issuedAtMs).toISOString(),
          maxAgeHours: site.outdoorForecastMaxAgeHours,
        },
        'outdoor forecast stale; using the sensor-history forecast until a new one arrives',
      );
    }
    return undefined;
  }

  async forecast(siteId: string, fromMs: number, hours: number): Promise<TemperatureForecast> {
    const originMs = Math.floor(fromMs / HOUR_MS) * HOUR_MS;
    const tsMs = hourGrid(originMs, originMs + hours * HOUR_MS);
    const site = this.sites.find((s) => s.id === siteId);
    if (!site) return { tsMs, temperatureC: tsMs.map(() => null), source: 'none' };
    const nowMs = this.deps.clock.now();
    const published = this.fresh(site, nowMs);
    const recent = this.recentDays(site, originMs, tsMs);
    const sources: string[] = [];
    const temperatureC = tsMs.map((t, i) => {
      const p = published?.byHour.get(t);
      if (p !== undefined) {
        sources.push('topic');
        return p;
      }
      const r = recent[i] ?? Number.NaN;
      sources.push(Number.isNaN(r) ? 'none' : 'recent-days');
      return Number.isNaN(r) ? null : r;
    });
    const s = this.siteState(siteId);
    s.errors.record(originMs, tsMs, temperatureC, sources);
    this.scoreDue(siteId, s.errors, nowMs);
    const used = new Set(sources.filter((x) => x !== 'none'));
    const source = used.size === 0 ? 'none' : [...used].sort().reverse().join('+');
    return { tsMs, temperatureC, source };
  }

  private recentDays(site: SiteConfig, originMs: number, tsMs: readonly number[]): Float64Array {
    const pastMs = hourGrid(originMs - RECENT_DAYS * DAY_MS, originMs);
    const byHour = new Map(
      this.deps
        .temperature(site.id, pastMs[0] ?? originMs, originMs)
        .map((h) => [h.hourStartMs, h.temperatureC]),
    );
    const local = localHours([...pastMs, ...tsMs], site.timezone);
    return recentDaysTemperature(
      pastMs.map((t) => byHour.get(t) ?? null),
      local.hourOfDay.subarray(0, pastMs.length),
      local.hourOfDay.subarray(pastMs.length),
    );
  }

  private scoreDue(siteId: string, errors: TemperatureErrorTracker, nowMs: number): void {
    const due = errors.due(nowMs);
    if (!due) return;
    const measured = new Map(
      this.deps.temperature(siteId, due.fromMs, due.toMs).map((h) => [h.hourStartMs, h.temperatureC]),
    );
    errors.score(measured, nowMs);
  }

  status(): OutdoorForecastStatus[] {
    const nowMs = this.deps.clock.now();
    return this.sites.map((site) => {
      const s = this.state.get(site.id);
      const stats = s?.errors.stats();
      const latest = s?.latest;
      const fresh =
        latest !== undefined &&
        site.outdoorForecastTopic !== undefined &&
        nowMs - latest.issuedAtMs <= site.outdoorForecastMaxAgeHours * HOUR_MS;
      return {
        siteId: site.id,
        topic: site.outdoorForecastTopic ?? null,
        source: fresh ? 'topic' : 'recent-days',
        issuedAtMs: latest?.issuedAtMs ?? null,
        accepted: s?.accepted ?? 0,
        rejected: { ...(s?.rejected ?? {}) },
        error: stats?.all ?? { hours: 0, maeK: null, rmseK: null, biasK: null },
        errorBySource: stats?.bySource ?? {},
      };
    });
  }
}
