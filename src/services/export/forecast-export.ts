import type { SiteConfig } from '../../config/schema/site.js';
import type { EndUse } from '../../domain/energy.js';
import type { Component } from '../../ports/component.js';
import type { Logger } from '../../ports/logger.js';
import type { ScheduledJob, Scheduler } from '../../ports/scheduler.js';
import type { PointSink } from '../../ports/series-export.js';
import {
  type EnergyForecast,
  forecastPoints,
  type OccupancyOutlook,
  occupancyForecastPoints,
} from './series-points.js';

/** Where the latest forecasts are read (ForecastService). */
export interface ForecastSource {
  forecastFor(siteId: string, spaceId: string, endUse: EndUse): EnergyForecast | undefined;
  occupancyFor(siteId: string, spaceId: string): OccupancyOutlook | undefined;
}

export interface ForecastExportDeps {
  readonly source: ForecastSource;
  readonly sink: PointSink;
  readonly scheduler: Scheduler;
  readonly sites: () => readonly SiteConfig[];
  readonly log: Logger;
}

/**
 * Exports each new forecast once: the forecast service keeps only the latest per series, so its
 * origin is looked at once a minute and a new one is written whole (48 hours). Each hour is stamped
 * at the hour it forecasts, so a refresh overwrites the previous outlook of the same hours.
 */
export class ForecastExport implements Component {
  readonly name = 'influx-forecasts';
  private readonly sent = new Map<string, number>();
  private job: ScheduledJob | undefined;

  constructor(private readonly deps: ForecastExportDeps) {}

  async start(): Promise<void> {
    this.job = this.deps.scheduler.schedule('influx-forecasts', { everyMinutes: 1 }, () => this.check());
  }

  async stop(): Promise<void> {
    this.job?.cancel();
    this.job = undefined;
    this.check();
  }

  check(): void {
    try {
      for (const site of this.deps.sites()) {
        for (const space of site.spaces) {
          const endUses = new Set<EndUse>(space.meters.map((m) => m.measures));
          for (const endUse of endUses) {
            const f = this.deps.source.forecastFor(site.id, space.id, endUse);
            if (f && this.isNew(`${site.id}/${space.id}/${endUse}`, f.originMs))
              this.deps.sink.write(forecastPoints(f));
          }
          const o = this.deps.source.occupancyFor(site.id, space.id);
          if (o && this.isNew(`${site.id}/${space.id}/occupancy`, o.originMs))
            this.deps.sink.write(occupancyForecastPoints(o));
        }
      }
    } catch (error) {
      this.deps.log.warn({ err: String(error) }, 'forecasts not exported');
    }
  }

  private isNew(key: string, originMs: number): boolean {
    if (this.sent.get(key) === originMs) return false;
    this.sent.set(key, originMs);
    return true;
  }
}
