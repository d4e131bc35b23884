/**
 * Outdoor temperature for the forecast horizon when no site publishes a forecast: a model of the
 * recent days. Each future hour gets the mean of the same local hour over the last `days` days
 * (the diurnal cycle), plus today's anomaly (last observation minus that profile) decaying with a
 * time constant of `decayHours`, because a warm or cold spell persists for a while.
 * Pure: the caller passes the history up to the origin.
 */
export interface RecentDaysOptions {
  readonly days?: number;
  readonly decayHours?: number;
}

/**
 * @param history hourly temperatures ending the hour before the origin (NaN or null = missing)
 * @param hourOfDay local hour of day of each history element (same length)
 * @param futureHourOfDay local hour of day of each hour to forecast
 */
export function recentDaysTemperature(
  history: ArrayLike<number | null>,
  hourOfDay: ArrayLike<number>,
  futureHourOfDay: ArrayLike<number>,
  options: RecentDaysOptions = {},
): Float64Array {
  const days = options.days ?? 3;
  const tau = options.decayHours ?? 12;
  const sum = new Float64Array(24);
  const cnt = new Float64Array(24);
  const from = Math.max(0, history.length - days * 24);
  let lastIdx = -1;
  let all = 0;
  let allN = 0;
  for (let i = from; i < history.length; i++) {
    const v = history[i];
    if (v === null || v === undefined || Number.isNaN(v)) continue;
    const h = hourOfDay[i] ?? 0;
    sum[h] = (sum[h] ?? 0) + v;
    cnt[h] = (cnt[h] ?? 0) + 1;
    all += v;
    allN++;
    lastIdx = i;
  }
  const out = new Float64Array(futureHourOfDay.length).fill(Number.NaN);
  if (allN === 0) return out;
  const profile = (h: number): number => ((cnt[h] ?? 0) > 0 ? (sum[h] ?? 0) / (cnt[h] ?? 1) : all / allN);
  const last = history[lastIdx] as number;
  const anomaly = last - profile(hourOfDay[lastIdx] ?? 0);
  const gap = history.length - 1 - lastIdx;
  for (let k = 0; k < futureHourOfDay.length; k++) {
    const lead = k + 1 + gap;
    out[k] = profile(futureHourOfDay[k] ?? 0) + anomaly * Math.exp(-lead / tau);
  }
  return out;
}
