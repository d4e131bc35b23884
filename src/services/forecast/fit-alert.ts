import type { EndUse } from '../../domain/energy.js';
import type { FitStats } from '../../domain/forecast/metrics.js';
import type { AlertSink } from '../../ports/operations.js';

/**
 * Raises a warning when a fitted forecast model misses Guideline 14 (CV(RMSE) <= 30 %, |NMBE| <=
 * 10 %, hourly) on its held-out data, or on its training data when it has none; clears it when a
 * later fit meets it. A model fitted on no data (a cold-start prior) neither raises nor clears; one
 * whose statistics are undefined (a mean load of about zero) is reported as not assessable, with why.
 */
export function reportForecastFit(
  alerts: AlertSink,
  series: { readonly siteId: string; readonly spaceId: string; readonly endUse: EndUse },
  modelName: string,
  stats: { readonly inSample?: FitStats; readonly outOfSample?: FitStats },
): void {
  const s = stats.outOfSample ?? stats.inSample;
  // A model fitted on no data (a cold-start prior) has no statistics to judge.
  if (!s || s.n === 0) return;
  const part = {
    kind: 'model-guideline14',
    siteId: series.siteId,
    spaceId: series.spaceId,
    subject: `forecast:${series.endUse}`,
  } as const;
  const where = stats.outOfSample ? 'on held-out data' : 'in sample';
  // Ratios over a mean of about zero are no figures at all: say why instead of printing 1e33 %.
  if (s.notAssessable !== undefined || !Number.isFinite(s.cvRmse) || !Number.isFinite(s.nmbe)) {
    alerts.raise({
      ...part,
      severity: 'warning',
      message: `${series.endUse} forecast model (${modelName}) cannot be assessed against Guideline 14 ${where}: ${s.notAssessable ?? 'CV(RMSE) and NMBE are undefined'}`,
    });
    return;
  }
  if (s.meetsG14) {
    alerts.clear(part);
    return;
  }
  const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
  alerts.raise({
    ...part,
    severity: 'warning',
    message: `${series.endUse} forecast model (${modelName}) misses Guideline 14 ${where}: CV(RMSE) ${pct(s.cvRmse)}, NMBE ${pct(s.nmbe)}; plans rely on it less than they should`,
  });
}
