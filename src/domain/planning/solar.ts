import { localFieldsAt } from '../calendar/local-fields.js';

/**
 * A solar gain proxy from the local time of day alone, 0..1: a half sine from 06:00 to 18:00,
 * peaking at noon. The service knows no irradiance; the learned solar rate scales this shape to the
 * space (its glazing, its orientation's average), and the outdoor temperature carries the weather.
 */
export function solarProxyAt(tMs: number, timeZone: string): number {
  const hours = localFieldsAt(tMs, timeZone).minuteOfDay / 60;
  return hours <= 6 || hours >= 18 ? 0 : Math.sin((Math.PI * (hours - 6)) / 12);
}
