import type { SiteConfig } from '../../config/schema/index.js';
import type { Component } from '../../ports/component.js';
import type { Logger } from '../../ports/logger.js';
import type { ScheduledJob, Scheduler } from '../../ports/scheduler.js';
import type { IntervalStore } from '../../ports/stores.js';
import type { IngestStats } from '../ingest/ingest-stats.js';

export interface IngestStatsSource {
  stats(): IngestStats;
}

/**
 * One log line every 15 minutes (on the injected clock) saying, per space, how many readings were
 * accepted since the last line and how many 15-minute interval rows are stored: enough to see at a
 * glance that every space is being heard, without a line per message.
 */
export class IngestSummary implements Component {
  readonly name = 'ingest-summary';
  private job: ScheduledJob | undefined;
  private lastAccepted = new Map<string, number>();

  constructor(
    private readonly ingest: IngestStatsSource,
    private readonly intervals: IntervalStore,
    /** The sites in force: a reload adds or removes meters from the summary. */
    private readonly sites: () => readonly SiteConfig[],
    private readonly scheduler: Scheduler,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    this.job = this.scheduler.schedule('ingest-summary', { everyMinutes: 15 }, () => this.report());
  }

  async stop(): Promise<void> {
    this.job?.cancel();
    this.job = undefined;
  }

  report(): void {
    const stats = this.ingest.stats();
    const intervalRows = this.intervals.countIntervalsBySpace(15);
    const spaces: Record<string, { readings: number; rejected: number; intervalRows: number }> = {};
    const parts: string[] = [];
    for (const site of this.sites()) {
      for (const space of site.spaces) {
        let readings = 0;
        let rejected = 0;
        for (const meter of space.meters) {
          const meterStats = stats.meters[meter.id];
          if (!meterStats) continue;
          const previous = this.lastAccepted.get(meter.id) ?? 0;
          readings += meterStats.accepted - previous;
          this.lastAccepted.set(meter.id, meterStats.accepted);
          rejected += Object.values(meterStats.rejected).reduce((a, b) => a + (b ?? 0), 0);
        }
        const rows = intervalRows.get(space.id) ?? 0;
        spaces[space.id] = { readings, rejected, intervalRows: rows };
        parts.push(`${space.id} ${readings}`);
      }
    }
    this.log.info({ spaces }, `readings in the last 15 min: ${parts.join(', ')}`);
  }
}
