import {
  type BandHoldLimits,
  type BandHoldSample,
  type BandHoldState,
  bandHoldMessage,
  stepBandHold,
} from '../../domain/comfort/band-hold.js';
import type { Logger } from '../../ports/logger.js';
import type { AlertSink } from '../../ports/operations.js';

/** The alert of one space (one per space: the band is the space's, whichever unit serves it). */
export function bandHoldAlertPart(siteId: string, spaceId: string) {
  return { kind: 'comfort-risk', siteId, spaceId, subject: 'band-hold' } as const;
}

export interface WatchedSpace {
  readonly siteId: string;
  readonly spaceId: string;
  readonly timezone: string;
}

/**
 * Per space, the measured band-hold rule (`stepBandHold`) fed once a tick: raises a `comfort-risk`
 * alert naming the space, since when and why, and clears it when the temperature is back in the
 * band (or nobody is there). A space first seen in the band after a start clears any alert a
 * previous run left open.
 */
export class BandHoldWatch {
  private readonly states = new Map<string, BandHoldState>();
  private readonly settled = new Set<string>();

  constructor(
    private readonly alerts: () => AlertSink,
    private readonly log: Logger,
  ) {}

  observe(space: WatchedSpace, sample: BandHoldSample, limits: BandHoldLimits): void {
    const key = `${space.siteId}/${space.spaceId}`;
    const { state, event } = stepBandHold(this.states.get(key) ?? {}, sample, limits);
    this.states.set(key, state);
    const part = bandHoldAlertPart(space.siteId, space.spaceId);
    if (event.kind === 'raise') {
      const { side, reason, tempC } = event.finding;
      this.log.warn({ space: key, side, reason, tempC }, 'comfort band not held at the setpoint limit');
      this.alerts().raise({
        ...part,
        severity: 'warning',
        message: bandHoldMessage(key, event.finding, limits, space.timezone),
      });
      return;
    }
    if (event.kind === 'clear') {
      this.log.info({ space: key, why: event.why }, 'comfort band held again');
      this.alerts().clear(part);
      return;
    }
    const t = sample.indoorTempC;
    const inBand = t !== undefined && t >= limits.comfortLowC && t <= limits.comfortHighC;
    if (inBand && state.open === undefined && !this.settled.has(key)) {
      this.settled.add(key);
      this.alerts().clear(part);
    }
  }

  /** Forgets spaces no longer configured and clears their alerts. */
  retain(spaces: readonly WatchedSpace[]): void {
    const keep = new Set(spaces.map((s) => `${s.siteId}/${s.spaceId}`));
    for (const key of this.states.keys()) {
      if (keep.has(key)) continue;
      const [siteId = '', spaceId = ''] = key.split('/');
      if (this.states.get(key)?.open) this.alerts().clear(bandHoldAlertPart(siteId, spaceId));
      this.states.delete(key);
      this.settled.delete(key);
    }
  }
}
