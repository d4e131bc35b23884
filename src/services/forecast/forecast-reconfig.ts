/**
 * What a reloaded config changes for the forecast service, worked out before anything changes:
 *
 * - a series (space and end use) that is gone, or is now measured by other meters, loses its model
 *   and its forecast: the old model learned another quantity; the next refresh fits it anew;
 * - a space that lost its occupancy sensor (or is gone) loses its occupancy model and forecast;
 * - a site whose holiday calendar or time zone changed is refitted: its models learned the days
 *   under the old calendar (forecasts use the new one at once);
 * - the nightly refits are rescheduled when the refit time or the set of time zones changed.
 */
import type { ForecastConfig } from '../../config/schema/analytics.js';
import type { SiteConfig } from '../../config/schema/site.js';
import { calendarSpec } from '../modelling/calendar.js';
import { type MeteredSpace, meteredSpaces, seriesKey, spaceKey } from '../modelling/spaces.js';

/** The parts of the config the forecast service uses, as a reload hands them over. */
export interface ForecastReconfig {
  readonly sites: readonly SiteConfig[];
  readonly forecast: ForecastConfig;
}

export interface ForecastReconfigPlan {
  readonly spaces: MeteredSpace[];
  /** Series keys (site/space/endUse) whose model and forecast no longer hold. */
  readonly droppedSeries: readonly string[];
  /** Space keys (site/space) whose occupancy model and forecast no longer hold. */
  readonly droppedOccupancy: readonly string[];
  /** Sites to refit: their holiday calendar or time zone changed. */
  readonly recalendaredSites: ReadonlySet<string>;
  readonly rescheduleRetrains: boolean;
}

function meterSets(spaces: readonly MeteredSpace[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of spaces) {
    for (const [endUse, meterIds] of s.endUses)
      out.set(seriesKey(s.siteId, s.spaceId, endUse), meterIds.join('\n'));
  }
  return out;
}

const zonesOf = (spaces: readonly MeteredSpace[]): string =>
  [...new Set(spaces.map((s) => s.timeZone))].sort().join(',');

export function planReconfig(
  previous: ForecastReconfig,
  previousSpaces: readonly MeteredSpace[],
  next: ForecastReconfig,
): ForecastReconfigPlan {
  const spaces = meteredSpaces(next.sites);
  const before = meterSets(previousSpaces);
  const after = meterSets(spaces);
  const droppedSeries = [...before].filter(([key, meters]) => after.get(key) !== meters).map(([key]) => key);

  const sensing = new Set(
    spaces.filter((s) => s.hasOccupancySensor).map((s) => spaceKey(s.siteId, s.spaceId)),
  );
  const droppedOccupancy = previousSpaces
    .filter((s) => s.hasOccupancySensor && !sensing.has(spaceKey(s.siteId, s.spaceId)))
    .map((s) => spaceKey(s.siteId, s.spaceId));

  const recalendaredSites = new Set<string>();
  for (const site of next.sites) {
    const old = previous.sites.find((s) => s.id === site.id);
    if (!old) continue;
    const was = JSON.stringify(calendarSpec(previous.forecast, old.timezone));
    const is = JSON.stringify(calendarSpec(next.forecast, site.timezone));
    if (was !== is || old.timezone !== site.timezone) recalendaredSites.add(site.id);
  }

  return {
    spaces,
    droppedSeries,
    droppedOccupancy,
    recalendaredSites,
    rescheduleRetrains:
      previous.forecast.retrainAt !== next.forecast.retrainAt || zonesOf(previousSpaces) !== zonesOf(spaces),
  };
}
