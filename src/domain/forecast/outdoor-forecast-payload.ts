/**
 * The hourly outdoor temperature forecast a site may publish on its `outdoorForecastTopic`
 * (docs/mqtt-contract.md#outdoor-temperature-forecast): a Home Assistant automation from a weather
 * entity's hourly forecast, or any local weather service. Pure: parsing only, no clock.
 */
import { z } from 'zod';
import { HOUR_MS } from './types.js';

const IsoTime = z.iso.datetime({ offset: true });

/** The most hours a payload may carry: ten days. */
export const MAX_FORECAST_HOURS = 240;

export const OutdoorForecastPayload = z.object({
  issuedAt: IsoTime.meta({
    description: 'When the forecast was made (ISO-8601 with an offset); older than the site limit = stale',
  }),
  hourly: z
    .array(
      z.object({
        ts: IsoTime.meta({
          description:
            'Start of the hour (ISO-8601 with an offset); a time within an hour counts for the UTC hour it falls in',
        }),
        temperatureC: z.number().min(-90).max(70).meta({ description: 'Forecast air temperature, °C' }),
      }),
    )
    .min(1)
    .max(MAX_FORECAST_HOURS)
    .meta({ description: 'One entry per forecast hour; other fields of an entry are ignored' }),
});
export type OutdoorForecastPayload = z.infer<typeof OutdoorForecastPayload>;

/** A validated forecast: °C per UTC hour start. */
export interface OutdoorForecast {
  readonly issuedAtMs: number;
  /** UTC hour start (ms) -> °C; two entries in one hour are averaged. */
  readonly byHour: ReadonlyMap<number, number>;
}

export type OutdoorForecastParse =
  | { readonly ok: true; readonly forecast: OutdoorForecast }
  | { readonly ok: false; readonly reason: 'not-json' | 'invalid'; readonly detail: string };

export function parseOutdoorForecast(text: string): OutdoorForecastParse {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'not-json', detail: 'the payload is not JSON' };
  }
  const parsed = OutdoorForecastPayload.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : '(payload)';
    return { ok: false, reason: 'invalid', detail: `${where}: ${issue?.message ?? 'invalid'}` };
  }
  const sum = new Map<number, { total: number; n: number }>();
  for (const h of parsed.data.hourly) {
    const hour = Math.floor(Date.parse(h.ts) / HOUR_MS) * HOUR_MS;
    const s = sum.get(hour) ?? { total: 0, n: 0 };
    s.total += h.temperatureC;
    s.n += 1;
    sum.set(hour, s);
  }
  const byHour = new Map([...sum].map(([hour, s]) => [hour, s.total / s.n]));
  return { ok: true, forecast: { issuedAtMs: Date.parse(parsed.data.issuedAt), byHour } };
}
