import type { SiteConfig } from '../../config/schema/index.js';
import type { Component } from '../../ports/component.js';
import type { Logger } from '../../ports/logger.js';
import type { ScheduledJob, Scheduler } from '../../ports/scheduler.js';
import type { MeterStats } from '../ingest/ingest-stats.js';
import { rejectedTotal } from '../shared/rejected-total.js';

export interface IngestStatsSource {
  /** Each meter's counters as they are now (read at once, never kept). */
  liveMeterStats(): ReadonlyMap<string, Readonly<MeterStats>>;
}

/** Up to this many spaces, the line names each; past it, the totals and the silent spaces. */
const SPACES_NAMED = 20;
/** Silent spaces named in a line at most. */
const SILENT_NAMED = 10;

interface SpaceCounts {
  readonly readings: number;
  readonly rejected: number;
}

/**
 * One log line every 15 minutes (on the injected clock) saying, per space, how many readings were
 * accepted and rejected since the last line: enough to see at a glance that every space is being
 * heard, without a line per message. Past 20 spaces the line gives the totals and names the silent
 * spaces, and the per-space counts go to debug. It reads the meters' counters in place and the
 * store not at all, so its cost does not grow with the history kept.
 */
export class IngestSummary implements Component {
  readonly name = 'ingest-summary';
  private job: ScheduledJob | undefined;
  /** Accepted and rejected per meter at the last line. */
  private last = new Map<string, { accepted: number; rejected: number }>();

  constructor(
    private readonly ingest: IngestStatsSource,
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
    const live = this.ingest.liveMeterStats();
    const sites = this.sites();
    const oneSite = sites.length === 1;
    const next = new Map<string, { accepted: number; rejected: number }>();
    const spaces: Record<string, SpaceCounts> = {};
    for (const site of sites) {
      for (const space of site.spaces) {
        let readings = 0;
        let rejected = 0;
        for (const meter of space.meters) {
          const s = live.get(meter.id);
          if (!s) continue;
          const rejectedNow = rejectedTotal(s);
          const before = this.last.get(meter.id) ?? { accepted: 0, rejected: 0 };
          readings += s.accepted - before.accepted;
          rejected += rejectedNow - before.rejected;
          next.set(meter.id, { accepted: s.accepted, rejected: rejectedNow });
        }
        spaces[oneSite ? space.id : `${site.id}/${space.id}`] = { readings, rejected };
      }
    }
    this.last = next;
    const entries = Object.entries(spaces);
    if (entries.length <= SPACES_NAMED) {
      const parts = entries.map(
        ([key, c]) => `${key} ${c.readings}${c.rejected ? ` (${c.rejected} rejected)` : ''}`,
      );
      this.log.info({ spaces }, `readings in the last 15 min: ${parts.join(', ')}`);
      return;
    }
    const readings = entries.reduce((sum, [, c]) => sum + c.readings, 0);
    const rejected = entries.reduce((sum, [, c]) => sum + c.rejected, 0);
    const silent = entries.filter(([, c]) => c.readings === 0).map(([key]) => key);
    const named = silent.slice(0, SILENT_NAMED).join(', ');
    const more = silent.length > SILENT_NAMED ? ` and ${silent.length - SILENT_NAMED} more` : '';
    this.log.info(
      { spaceCount: entries.length, readings, rejected, silent: silent.length },
      `readings in the last 15 min: ${readings} in ${entries.length} spaces, ${rejected} rejected` +
        (silent.length > 0 ? `; none from ${named}${more}` : ''),
    );
    this.log.debug({ spaces }, 'readings in the last 15 min, per space');
  }
}
