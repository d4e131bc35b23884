/** One hour of a reporting period: metered energy and the adjusted baseline for it. */
export interface ReportingHour {
  readonly startMs: number;
  /** Metered energy, kWh; null when the hour is missing. */
  readonly measuredKWh: number | null;
  /** Adjusted baseline (model prediction plus any non-routine adjustment), kWh. */
  readonly baselineKWh: number;
}

export interface AvoidedHour {
  readonly startMs: number;
  readonly baselineKWh: number;
  readonly measuredKWh: number;
  readonly avoidedKWh: number;
}

export interface AvoidedSummary {
  readonly hours: readonly AvoidedHour[];
  /** Hours skipped because the meter had no reading. */
  readonly missingHours: number;
  readonly baselineKWh: number;
  readonly measuredKWh: number;
  readonly avoidedKWh: number;
  /** avoided / adjusted baseline; NaN when the baseline sums to zero. */
  readonly savingsFraction: number;
}

/**
 * Avoided energy = adjusted baseline - measured, hour by hour. The baseline here is the model's
 * prediction from time and weather only: a short-horizon residual correction would learn the
 * savings as "recent surprise" and erase them, so none is applied in M&V.
 */
export function avoidedEnergy(reporting: readonly ReportingHour[]): AvoidedSummary {
  const hours: AvoidedHour[] = [];
  let missingHours = 0;
  let baselineKWh = 0;
  let measuredKWh = 0;
  for (const h of reporting) {
    if (h.measuredKWh === null || !Number.isFinite(h.measuredKWh) || !Number.isFinite(h.baselineKWh)) {
      missingHours++;
      continue;
    }
    const avoidedKWh = h.baselineKWh - h.measuredKWh;
    hours.push({ startMs: h.startMs, baselineKWh: h.baselineKWh, measuredKWh: h.measuredKWh, avoidedKWh });
    baselineKWh += h.baselineKWh;
    measuredKWh += h.measuredKWh;
  }
  const avoidedKWh = baselineKWh - measuredKWh;
  return {
    hours,
    missingHours,
    baselineKWh,
    measuredKWh,
    avoidedKWh,
    savingsFraction: baselineKWh !== 0 ? avoidedKWh / baselineKWh : Number.NaN,
  };
}
