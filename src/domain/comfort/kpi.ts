/**
 * Comfort KPIs shared by the savings bench and the service's comfort read model, so that both
 * count discomfort and under-lit time the same way.
 */

/** Kelvin-hours outside [lowC, highC] for `hours` at `tempC`. */
export function discomfortKh(tempC: number, lowC: number, highC: number, hours: number): number {
  return Math.max(0, lowC - tempC, tempC - highC) * hours;
}

/** Half a percent of slack for device resolution (a Zigbee brightness step is 0.4 %). */
export const UNDER_LIT_SLACK_PCT = 0.5;

/** True when the light in a space (lamps plus daylight, % of full output) is below what its type needs occupied. */
export function isUnderLit(litPct: number, occupiedLevelPct: number): boolean {
  return litPct < occupiedLevelPct - UNDER_LIT_SLACK_PCT;
}
