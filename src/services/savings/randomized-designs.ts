/**
 * Randomized on/off designs per site: generated once from config (seeded), persisted in the
 * key-value store, and from then on read back, because the assignments define the experiment: a
 * changed seed or share in the config must not silently reshuffle days already run.
 */
import type { RandomizedConfig } from '../../config/schema/analytics.js';
import {
  armOn,
  assignDays,
  type DayAssignment,
  parseDesign,
  type RandomizedDesign,
  serializeDesign,
} from '../../domain/savings/randomized-design.js';
import type { Logger } from '../../ports/logger.js';
import type { KeyValueStore } from '../../ports/stores.js';
import { localDate } from './periods.js';

/** What the control loop runs on a day: the existing schedule (control arm) or optimized control. */
export type DayArm = 'schedule' | 'optimized';

export const designKey = (siteId: string): string => `savings.randomized.${siteId}`;

export interface SiteDesign {
  readonly siteId: string;
  readonly config: RandomizedConfig;
  readonly design: RandomizedDesign;
  /** Local date the design starts. */
  readonly startDate: string;
}

export class RandomizedDesigns {
  private readonly designs = new Map<string, SiteDesign>();

  constructor(
    configs: readonly RandomizedConfig[],
    settings: KeyValueStore,
    private readonly timeZones: ReadonlyMap<string, string>,
    log: Logger,
  ) {
    for (const config of configs) {
      const stored = settings.get(designKey(config.site));
      const wanted = assignDays({
        seed: config.seed,
        startDate: config.startDate,
        weeks: config.weeks,
        treatedShare: config.treatedShare,
        blockWeeks: config.blockWeeks,
        washoutHours: config.washoutHours,
      });
      let design = wanted;
      if (stored === undefined) {
        settings.set(designKey(config.site), serializeDesign(wanted));
        log.info(
          {
            site: config.site,
            startDate: config.startDate,
            days: wanted.days.length,
            treatedShare: wanted.treatedShare,
          },
          'randomized on/off assignment created',
        );
      } else {
        try {
          design = parseDesign(stored);
          if (serializeDesign(design) !== serializeDesign(wanted)) {
            log.warn(
              { site: config.site },
              'randomized design in config differs from the persisted assignment; the persisted one stays (delete it to start a new experiment)',
            );
          }
        } catch (error) {
          log.error(
            { site: config.site, err: error },
            'persisted randomized assignment unreadable; not replaced',
          );
          continue;
        }
      }
      this.designs.set(config.site, {
        siteId: config.site,
        config,
        design,
        startDate: design.days[0]?.date ?? config.startDate,
      });
    }
  }

  get(siteId: string): SiteDesign | undefined {
    return this.designs.get(siteId);
  }

  all(): SiteDesign[] {
    return [...this.designs.values()];
  }

  assignment(siteId: string, dateLocal: string): DayAssignment | undefined {
    const d = this.designs.get(siteId);
    return d ? armOn(d.design, dateLocal) : undefined;
  }

  /** The arm of a local date; outside any design (or without one) control is optimized. */
  armFor(siteId: string, dateLocal: string): DayArm {
    return this.assignment(siteId, dateLocal)?.arm === 'control' ? 'schedule' : 'optimized';
  }

  /** The arm in force at an instant, by the site's local date. */
  armAt(siteId: string, tMs: number): DayArm {
    const zone = this.timeZones.get(siteId);
    return zone ? this.armFor(siteId, localDate(tMs, zone)) : 'optimized';
  }
}
