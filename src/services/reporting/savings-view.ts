/**
 * The savings read model: ledger sums per period (hour, local day, local month) for each series, a
 * space and the community, per kind and method, each with its interval, provisional flag,
 * provenance and non-routine flags. The store sums the hourly rows in SQL, one grouped query per
 * kind and method; this file only adds up the few resulting series figures.
 *
 * Measured and estimated figures, and the two methods, are never added together. Summed over end
 * uses, a space with a `total` meter counts that meter only, since it already holds the others.
 */
import type { EndUse } from '../../domain/energy.js';
import {
  type BaselineStats,
  baselineHalfWidthKWh,
  combineHalfWidths,
  FIGURE_CONFIDENCE,
  isProvisional,
  randomizedHalfWidthKWh,
} from '../../domain/savings/figure-interval.js';
import { LEDGER_KINDS, SAVINGS_METHODS, type SavingsMethod } from '../../domain/savings/ledger.js';
import type { SavingsFigure, SavingsQuery, SavingsView } from '../../ports/savings-view.js';
import type {
  KeyValueStore,
  LedgerPeriodTotals,
  ModelRegistryStore,
  SavingsLedgerStore,
} from '../../ports/stores.js';
import { parseBaseline } from '../modelling/baseline-record.js';
import { designOfVersion, readEstimate } from '../savings/estimates.js';
import { readNonRoutine } from '../savings/non-routine.js';
import { cutPeriods } from './report-periods.js';

export interface SavingsViewConfig {
  readonly sites: readonly { readonly id: string; readonly timezone: string }[];
  readonly provisionalHalfWidthPct: number;
}

export interface SavingsViewDeps {
  readonly ledger: SavingsLedgerStore;
  readonly settings: KeyValueStore;
  readonly models: ModelRegistryStore;
  /** The config in force (read on every query, so a reload counts at once). */
  readonly config: () => SavingsViewConfig;
}

/** One series' sums in one period, with what its interval needs. */
interface SeriesFigure {
  readonly t: LedgerPeriodTotals;
  readonly halfWidthKWh: number | undefined;
  readonly provenance: readonly string[];
  readonly nonRoutine: readonly string[];
}

const INTERVAL_METHOD: Record<SavingsMethod, string> = {
  baseline: 'ashrae-g14-fractional-savings',
  randomized: 'randomized-t',
};

export class LedgerSavingsView implements SavingsView {
  private readonly stats = new Map<string, BaselineStats | null>();
  /** Per query: each series' stored estimate and flags are read once, however many periods. */
  private perQuery = new Map<string, unknown>();

  constructor(private readonly deps: SavingsViewDeps) {}

  savings(query: SavingsQuery): SavingsFigure[] {
    this.perQuery = new Map();
    const config = this.deps.config();
    const sites = config.sites.filter((s) => query.siteId === undefined || s.id === query.siteId);
    const out: SavingsFigure[] = [];
    for (const site of sites) {
      const periods = cutPeriods(query.fromMs, query.toMs, query.granularity, site.timezone);
      for (const kind of LEDGER_KINDS) {
        for (const method of SAVINGS_METHODS) {
          const totals = this.deps.ledger.sumLedgerByPeriod({
            kind,
            method,
            periods,
            siteId: site.id,
            ...(query.spaceId !== undefined ? { spaceId: query.spaceId } : {}),
            ...(query.endUse !== undefined ? { endUse: query.endUse } : {}),
          });
          const series = totals.map((t) => this.seriesFigure(t, method));
          out.push(...this.figures(series, query, config.provisionalHalfWidthPct));
        }
      }
    }
    return out.sort(
      (a, b) =>
        a.periodStartMs - b.periodStartMs ||
        a.siteId.localeCompare(b.siteId) ||
        (a.spaceId ?? '').localeCompare(b.spaceId ?? '') ||
        (a.endUse ?? '').localeCompare(b.endUse ?? '') ||
        a.kind.localeCompare(b.kind) ||
        a.method.localeCompare(b.method),
    );
  }

  /** Series figures, then the space and community sums the query asks for. */
  private figures(series: readonly SeriesFigure[], query: SavingsQuery, pct: number): SavingsFigure[] {
    const out: SavingsFigure[] = [];
    const groups = new Map<string, SeriesFigure[]>();
    const add = (key: string, s: SeriesFigure) => groups.set(key, [...(groups.get(key) ?? []), s]);
    for (const s of series) {
      const { t } = s;
      const base = `${t.periodStartMs}|${t.currency}`;
      add(`${base}|${t.spaceId}|${t.endUse}`, s);
      if (query.endUse === undefined) {
        add(`${base}|${t.spaceId}|`, s);
        if (query.spaceId === undefined) add(`${base}||`, s);
      } else if (query.spaceId === undefined) add(`${base}||${t.endUse}`, s);
    }
    for (const [key, members] of groups) {
      const [, , spaceId, endUse] = key.split('|');
      out.push(this.sum(members, spaceId || undefined, (endUse || undefined) as EndUse | undefined, pct));
    }
    return out;
  }

  private sum(
    members: readonly SeriesFigure[],
    spaceId: string | undefined,
    endUse: EndUse | undefined,
    pct: number,
  ): SavingsFigure {
    // Across end uses, a space's `total` meter stands for the whole space.
    const withTotal = new Set(members.filter((m) => m.t.endUse === 'total').map((m) => m.t.spaceId));
    const counted =
      endUse === undefined
        ? members.filter((m) => m.t.endUse === 'total' || !withTotal.has(m.t.spaceId))
        : members;
    const first = (counted[0] ?? members[0]) as SeriesFigure;
    let baselineKWh = 0;
    let actualKWh = 0;
    let avoidedKWh = 0;
    let cost = 0;
    let co2Kg = 0;
    let hours = 0;
    for (const { t } of counted) {
      baselineKWh += t.baselineKWh;
      actualKWh += t.measuredKWh;
      avoidedKWh += t.avoidedKWh;
      cost += t.cost;
      co2Kg += t.co2Kg;
      hours = Math.max(hours, t.hours);
    }
    const halfWidths = counted.map((m) => m.halfWidthKWh);
    const halfWidth = halfWidths.every((h): h is number => h !== undefined)
      ? combineHalfWidths(halfWidths)
      : undefined;
    const method = first.t.method as SavingsMethod;
    return {
      periodStartMs: first.t.periodStartMs,
      periodEndMs: first.t.periodEndMs,
      siteId: first.t.siteId,
      ...(spaceId !== undefined ? { spaceId } : {}),
      ...(endUse !== undefined ? { endUse } : {}),
      kind: first.t.kind,
      method,
      hours,
      baselineKWh,
      actualKWh,
      avoidedKWh,
      avoidedShare: baselineKWh !== 0 ? avoidedKWh / baselineKWh : 0,
      cost,
      currency: first.t.currency,
      co2Kg,
      ...(halfWidth !== undefined
        ? {
            interval: {
              lowKWh: avoidedKWh - halfWidth,
              highKWh: avoidedKWh + halfWidth,
              confidence: FIGURE_CONFIDENCE,
              method: INTERVAL_METHOD[method],
            },
          }
        : {}),
      provisional: isProvisional(halfWidth, baselineKWh, pct),
      provenance: [...new Set(counted.flatMap((m) => m.provenance))].sort(),
      nonRoutine: [...new Set(counted.flatMap((m) => m.nonRoutine))],
    };
  }

  private seriesFigure(t: LedgerPeriodTotals, method: SavingsMethod): SeriesFigure {
    const key = `${t.siteId}/${t.spaceId}/${t.endUse}`;
    const nonRoutine = this.once(`flags:${key}`, () => readNonRoutine(this.deps.settings, key))
      .filter((f) => f.fromMs < t.periodEndMs && (f.toMs === undefined || f.toMs > t.periodStartMs))
      .map((f) => f.message);
    if (method === 'randomized') {
      const designs = [...new Set(t.versions.map(designOfVersion))];
      const only = t.versions.length === 1 ? t.versions[0] : undefined;
      const design = only !== undefined ? designOfVersion(only) : undefined;
      const estimate =
        design !== undefined
          ? this.once(`estimate:${key}:${design}`, () => readEstimate(this.deps.settings, key, design))
          : undefined;
      // The rows must have been priced with the stored estimate for its interval to apply to them.
      const ci =
        estimate?.version === only
          ? estimate?.intervals.find((i) => i.confidence === FIGURE_CONFIDENCE)
          : undefined;
      const halfWidthKWh = ci ? randomizedHalfWidthKWh(ci.lowShare, ci.highShare, t.baselineKWh) : undefined;
      const provenance = designs;
      return { t, halfWidthKWh, provenance, nonRoutine };
    }
    const widths = t.versions.map((v) => this.baselineStats(t, v));
    const halfWidthKWh =
      t.versions.length === 1 && widths[0]
        ? baselineHalfWidthKWh(widths[0], t.hours, t.baselineKWh)
        : undefined;
    return { t, halfWidthKWh, provenance: t.versions, nonRoutine };
  }

  private once<T>(key: string, read: () => T): T {
    if (!this.perQuery.has(key)) this.perQuery.set(key, read());
    return this.perQuery.get(key) as T;
  }

  /** Guideline 14 statistics of the baseline a row version names (`<baseline>@<registry version>`). */
  private baselineStats(t: LedgerPeriodTotals, version: string): BaselineStats | undefined {
    const cacheKey = `${t.siteId}/${t.spaceId}/${t.endUse}/${version}`;
    const cached = this.stats.get(cacheKey);
    if (cached !== undefined) return cached ?? undefined;
    const registryVersion = Number(version.slice(version.lastIndexOf('@') + 1));
    let stats: BaselineStats | null = null;
    const record = Number.isInteger(registryVersion)
      ? this.deps.models.getModel(t.siteId, t.spaceId, t.endUse, 'baseline', registryVersion)
      : undefined;
    if (record) {
      try {
        const b = parseBaseline(record.json);
        stats = {
          cvRmse: b.cvRmseInSample,
          nBaseline: b.nBaseline ?? Math.round((b.trainEndMs - b.trainStartMs) / 3_600_000),
          parameters: b.params.p,
          rho: b.rho ?? 0,
        };
      } catch {
        stats = null;
      }
    }
    this.stats.set(cacheKey, stats);
    return stats ?? undefined;
  }
}
