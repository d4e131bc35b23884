import type { EndUse } from '../domain/energy.js';
import type { LedgerKind, SavingsMethod } from '../domain/savings/ledger.js';

/** `total`: one period, the whole range (its interval is computed over the range, not added up). */
export type Granularity = 'hour' | 'day' | 'month' | 'total';

export interface SavingsQuery {
  /** [fromMs, toMs) in UTC ms; periods are cut at the site's local midnight (day, month), or not at all (total). */
  readonly fromMs: number;
  readonly toMs: number;
  readonly granularity: Granularity;
  readonly siteId?: string;
  readonly spaceId?: string;
  readonly endUse?: EndUse;
}

/** A two-sided interval on avoided energy, with its confidence level and how it was computed. */
export interface SavingsInterval {
  readonly lowKWh: number;
  readonly highKWh: number;
  /** e.g. 0.9 */
  readonly confidence: number;
  /** e.g. `ashrae-g14-fractional-savings`, `randomized-t`, `empirical` */
  readonly method: string;
}

/**
 * One figure: one period, one (site, space, end use) grouping, one kind and method. Measured
 * (active control) and estimated (shadow mode) figures are never summed together, nor are two
 * methods over the same hours.
 */
export interface SavingsFigure {
  readonly periodStartMs: number;
  readonly periodEndMs: number;
  readonly siteId: string;
  /** Absent for a community total. */
  readonly spaceId?: string;
  readonly endUse?: EndUse;
  readonly kind: LedgerKind;
  readonly method: SavingsMethod;
  readonly hours: number;
  readonly baselineKWh: number;
  readonly actualKWh: number;
  readonly avoidedKWh: number;
  /** avoided / baseline, 0..1 (negative when more was used). */
  readonly avoidedShare: number;
  readonly cost: number;
  /** ISO 4217 code of `cost`. */
  readonly currency: string;
  readonly co2Kg: number;
  readonly interval?: SavingsInterval;
  /** True until the interval's half-width is narrower than the configured one. */
  readonly provisional: boolean;
  /** Baseline model versions or randomized design ids the rows were computed with. */
  readonly provenance: readonly string[];
  /** Non-routine events flagged in the period: the figure is not to be trusted as it stands. */
  readonly nonRoutine: readonly string[];
}

export interface SavingsView {
  savings(query: SavingsQuery): SavingsFigure[];
}

/** Comfort over a period, occupied hours only. */
export interface ComfortKpi {
  readonly siteId: string;
  readonly spaceId: string;
  /** Kelvin-hours outside the comfort band while occupied. */
  readonly discomfortKh: number;
  /** Occupied hours with the lights below the space type's occupied level. */
  readonly underLitOccupiedHours: number;
  readonly occupiedHours: number;
}

export interface ComfortView {
  comfort(query: {
    readonly fromMs: number;
    readonly toMs: number;
    readonly siteId?: string;
    readonly spaceId?: string;
  }): ComfortKpi[];
}
