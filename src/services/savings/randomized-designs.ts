/**
 * Randomized on/off designs per site: generated once from config (seeded), persisted in the
 * key-value store, and from then on read back, because the assignments define the experiment: a
 * changed seed or share in the config must not silently reshuffle days already run. Sites without
 * a design of their own get the automatic verification periods (verification-periods.ts).
 */
import type { RandomizedConfig, VerificationConfig } from '../../config/schema/analytics.js';
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
import { ensurePeriod, loadPeriods, periodOn, type VerificationPeriod } from './verification-periods.js';

/** What the control loop runs on a day: the existing schedule (control arm) or optimized control. */
export type DayArm = 'schedule' | 'optimized';

export const designKey = (siteId: string): string => `savings.randomized.${siteId}`;

export interface SiteDesign {
  readonly siteId: string;
  /** Written on the ledger rows: the configured design or the automatic period's id. */
  readonly id: string;
  readonly minDaysPerArm: number;
  readonly design: RandomizedDesign;
  /** Local date the design starts. */
  readonly startDate: string;
  /** Local date a later period took over (exclusive), if one did. */
  readonly endDate?: string;
}

function fromPeriod(p: VerificationPeriod): SiteDesign {
  return {
    siteId: p.siteId,
    id: p.id,
    minDaysPerArm: p.minDaysPerArm,
    design: p.design,
    startDate: p.startDate,
    ...(p.endDate !== undefined ? { endDate: p.endDate } : {}),
  };
}

export class RandomizedDesigns {
  private readonly designs = new Map<string, SiteDesign>();
  private readonly auto = new Map<string, VerificationPeriod[]>();

  constructor(
    configs: readonly RandomizedConfig[],
    private readonly settings: KeyValueStore,
    private readonly timeZones: ReadonlyMap<string, string>,
    private readonly log: Logger,
    private readonly verification?: VerificationConfig,
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
      const startDate = design.days[0]?.date ?? config.startDate;
      this.designs.set(config.site, {
        siteId: config.site,
        id: `randomized:seed${design.seed}:${startDate}`,
        minDaysPerArm: config.minDaysPerArm,
        design,
        startDate,
      });
    }
    for (const siteId of timeZones.keys()) {
      if (this.designs.has(siteId)) continue;
      try {
        this.auto.set(siteId, loadPeriods(settings, siteId));
      } catch (error) {
        log.error({ site: siteId, err: error }, 'persisted verification periods unreadable; not replaced');
      }
    }
  }

  /**
   * For an active site without a configured design: starts the first verification period on
   * `startDate`, or a new one when the plan settings hash changed. Returns the period started.
   */
  ensureAuto(siteId: string, startDate: string, planHash: string, nowMs: number): SiteDesign | undefined {
    if (!this.verification?.enabled || this.designs.has(siteId) || !this.auto.has(siteId)) return undefined;
    const outcome = ensurePeriod(this.settings, this.verification, siteId, startDate, planHash, nowMs);
    if (!outcome.started) return undefined;
    this.auto.set(siteId, loadPeriods(this.settings, siteId));
    const p = outcome.period;
    this.log.info(
      {
        site: siteId,
        period: p.id,
        startDate: p.startDate,
        weeks: this.verification.weeks,
        controlShare: 1 - p.design.treatedShare,
        planHash,
      },
      outcome.reason === 'first'
        ? 'verification started: randomized on/off days measure the savings from day one'
        : 'planner settings changed: a new verification period starts',
    );
    return fromPeriod(p);
  }

  /** The design in force (the configured one, else the latest automatic period). */
  get(siteId: string): SiteDesign | undefined {
    const configured = this.designs.get(siteId);
    if (configured) return configured;
    const periods = this.auto.get(siteId) ?? [];
    const latest = periods[periods.length - 1];
    return latest ? fromPeriod(latest) : undefined;
  }

  /** Every design of a site, oldest first. */
  history(siteId: string): SiteDesign[] {
    const configured = this.designs.get(siteId);
    if (configured) return [configured];
    return (this.auto.get(siteId) ?? []).map(fromPeriod);
  }

  all(): SiteDesign[] {
    return [...this.timeZones.keys()].flatMap((siteId) => {
      const d = this.get(siteId);
      return d ? [d] : [];
    });
  }

  assignment(siteId: string, dateLocal: string): DayAssignment | undefined {
    const d = this.designs.get(siteId);
    if (d) return armOn(d.design, dateLocal);
    const p = periodOn(this.auto.get(siteId) ?? [], dateLocal);
    return p ? armOn(p.design, dateLocal) : undefined;
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
