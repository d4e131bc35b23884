import type { EndUse } from '../energy.js';
import { co2Kg } from '../tariff/co2.js';
import { costOfHour } from '../tariff/tariff.js';
import type { EmissionFactor, Tariff } from '../tariff/types.js';
import type { AvoidedHour } from './avoided.js';

/**
 * measured: savings of hours when optimized control really ran; estimated: shadow mode, where the
 * plan was computed but not sent, so the figure is what would have been saved. The two are never
 * added together.
 */
export const LEDGER_KINDS = ['measured', 'estimated'] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];

export const SAVINGS_METHODS = ['baseline', 'randomized'] as const;
export type SavingsMethod = (typeof SAVINGS_METHODS)[number];

/**
 * One row of the savings ledger: one hour of one end use of one space. Same shape as the store
 * port's LedgerRow, so rows built here go straight to the SQLite ledger.
 */
export interface SavingsLedgerRow {
  readonly siteId: string;
  readonly spaceId: string;
  readonly endUse: EndUse;
  /** Hour start, ms since epoch (UTC). */
  readonly hourStartMs: number;
  readonly kind: LedgerKind;
  readonly method: SavingsMethod;
  /** Version of the baseline model (or randomized design) the row was computed with. */
  readonly baselineVersion: string;
  /** Adjusted baseline (what would have been used), kWh. */
  readonly baselineKWh: number;
  /** Metered energy in the hour, kWh. */
  readonly measuredKWh: number;
  /** baselineKWh - measuredKWh, kWh (negative when more was used). */
  readonly avoidedKWh: number;
  /** Value of the avoided energy at the meter's tariff, in `currency`. */
  readonly cost: number;
  /** ISO 4217 code of `cost`. */
  readonly currency: string;
  /** CO2 avoided at the site's grid factor, kg. */
  readonly co2Kg: number;
}

export interface LedgerContext {
  readonly siteId: string;
  readonly spaceId: string;
  readonly endUse: EndUse;
  readonly kind: LedgerKind;
  readonly method: SavingsMethod;
  readonly baselineVersion: string;
  readonly tariff: Tariff;
  readonly emissionFactor: EmissionFactor;
  /** Site time zone, for the tariff periods. */
  readonly timeZone: string;
}

/** Ledger rows for avoided hours, priced at the tariff of each hour and the site's grid factor. */
export function buildLedgerRows(hours: readonly AvoidedHour[], ctx: LedgerContext): SavingsLedgerRow[] {
  return hours.map((h) => ({
    siteId: ctx.siteId,
    spaceId: ctx.spaceId,
    endUse: ctx.endUse,
    hourStartMs: h.startMs,
    kind: ctx.kind,
    method: ctx.method,
    baselineVersion: ctx.baselineVersion,
    baselineKWh: h.baselineKWh,
    measuredKWh: h.measuredKWh,
    avoidedKWh: h.avoidedKWh,
    cost: costOfHour(ctx.tariff, h.startMs, h.avoidedKWh, ctx.timeZone),
    currency: ctx.tariff.currency,
    co2Kg: co2Kg(ctx.emissionFactor, h.avoidedKWh),
  }));
}

export interface LedgerTotals {
  readonly hours: number;
  readonly baselineKWh: number;
  readonly measuredKWh: number;
  readonly avoidedKWh: number;
  readonly cost: number;
  readonly co2Kg: number;
}

const EMPTY: LedgerTotals = {
  hours: 0,
  baselineKWh: 0,
  measuredKWh: 0,
  avoidedKWh: 0,
  cost: 0,
  co2Kg: 0,
};

function add(a: LedgerTotals, r: SavingsLedgerRow): LedgerTotals {
  return {
    hours: a.hours + 1,
    baselineKWh: a.baselineKWh + r.baselineKWh,
    measuredKWh: a.measuredKWh + r.measuredKWh,
    avoidedKWh: a.avoidedKWh + r.avoidedKWh,
    cost: a.cost + r.cost,
    co2Kg: a.co2Kg + r.co2Kg,
  };
}

/** Totals per kind. There is deliberately no grand total across kinds. */
export function totalsByKind(rows: readonly SavingsLedgerRow[]): Readonly<Record<LedgerKind, LedgerTotals>> {
  let measured = EMPTY;
  let estimated = EMPTY;
  for (const r of rows) {
    if (r.kind === 'measured') measured = add(measured, r);
    else estimated = add(estimated, r);
  }
  return { measured, estimated };
}

/** Sums rows that must all be of one kind; throws when they mix, so a caller cannot blend them. */
export function totalOfKind(rows: readonly SavingsLedgerRow[], kind: LedgerKind): LedgerTotals {
  let t = EMPTY;
  for (const r of rows) {
    if (r.kind !== kind) {
      throw new Error(
        `ledger row of kind "${r.kind}" in a "${kind}" total: measured and estimated never mix`,
      );
    }
    t = add(t, r);
  }
  return t;
}
