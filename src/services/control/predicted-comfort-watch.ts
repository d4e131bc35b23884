import {
  alertableShortfalls,
  predictedShortfallMessage,
  type ShortfallContext,
} from '../../domain/comfort/predicted-shortfall.js';
import type { PredictedShortfall } from '../../domain/planning/predictive/lp-solution.js';
import type { Logger } from '../../ports/logger.js';
import type { AlertSink } from '../../ports/operations.js';

export function predictedAlertPart(siteId: string, spaceId: string) {
  return { kind: 'comfort-risk', siteId, spaceId, subject: 'band-hold-predicted' } as const;
}

/**
 * Raises a `comfort-risk` alert when a space's plan says it cannot hold its band in the coming
 * hours, and clears it at the first plan that can. One alert per space; its message follows the
 * latest plan.
 */
export class PredictedComfortWatch {
  private readonly open = new Map<string, string>();

  constructor(
    private readonly alerts: () => AlertSink,
    private readonly log: Logger,
  ) {}

  observe(
    space: { readonly siteId: string; readonly spaceId: string },
    ctx: ShortfallContext,
    shortfalls: readonly PredictedShortfall[],
  ): void {
    const key = `${space.siteId}/${space.spaceId}`;
    const part = predictedAlertPart(space.siteId, space.spaceId);
    const worth = alertableShortfalls(shortfalls);
    if (worth.length === 0) {
      if (this.open.delete(key)) {
        this.log.info({ space: key }, 'plan holds the comfort band again');
        this.alerts().clear(part);
      }
      return;
    }
    const message = predictedShortfallMessage(ctx, worth);
    if (this.open.get(key) === message) return;
    // The alert service logs the alert itself at warning; the slots behind it are for debugging.
    if (!this.open.has(key))
      this.log.debug({ space: key, shortfalls: worth }, 'plan predicts the comfort band will not be held');
    this.open.set(key, message);
    this.alerts().raise({ ...part, severity: 'warning', message });
  }

  /** A space no longer planned predictively: its predicted alert no longer stands. */
  forget(siteId: string, spaceId: string): void {
    if (this.open.delete(`${siteId}/${spaceId}`)) this.alerts().clear(predictedAlertPart(siteId, spaceId));
  }
}
