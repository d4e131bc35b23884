import type { EndUse } from '../../domain/energy.js';
import type { FitStats } from '../../domain/forecast/metrics.js';
import type { AlertSink } from '../../ports/operations.js';

/**
 * Raises a warning when a fitted forecast model misses Guideline 14 (CV(RMSE) <= 30 %, |NMBE| <=
 * 10 %, hourly) on its held-out data, or on its training data when it has none; clears it when a
 * later fit meets it. A model without finite statistics (a cold-start prior) neither raises nor clears.
 */
export function reportForecastFit(
  alerts: AlertSink,
  series: { readonly siteId: string; readonly spaceId: string; readonly endUse: EndUse },
  modelName: string,
  stats: { readonly inSample?: FitStats; readonly outOfSample?: FitStats },
): void {
  const s = stats.outOfSample ?? stats.inSample;
  // A model fitted on no data (a cold-start prior) has no statistics to judge.
  if (!s || s.n === 0 || !Number.isFinite(s.cvRmse) || !Number.isFinite(s.nmbe)) return;
  const part = {
    kind: 'model-guideline14',
    siteId: series.siteId,
    spaceId: series.spaceId,
    subject: `forecast:${series.endUse}`,
  } as const;
  if (s.meetsG14) {
    alerts.clear(part);
    return;
  }
  const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
  alerts.raise({
    ...part,
    severity: 'warning',
    message: `${series.endUse} forecast model (${modelName}) misses Guideline 14 ${stats.outOfSample ? 'on held-out data' : 'in sample'}: CV(RMSE) ${pct(s.cvRmse)}, NMBE ${pct(s.nmbe)}; plans rely on it less than they should`,
  });
}
