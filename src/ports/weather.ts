/**
 * Outdoor temperature forecasts for a site. Implementations: a site's MQTT forecast topic, a weather
 * service, or the recent-days model (src/domain/forecast/temperature-forecast.ts) when neither exists.
 */
export interface TemperatureForecast {
  /** UTC hour starts, ms. */
  readonly tsMs: readonly number[];
  /** °C per hour; null where the source has no value. */
  readonly temperatureC: readonly (number | null)[];
  /** Where the values came from, e.g. 'topic', 'service', 'recent-days'. */
  readonly source: string;
}

export interface WeatherForecastSource {
  /** Forecast for `hours` hours starting at the UTC hour `fromMs`. Rejects only on a programming error; no data = nulls. */
  forecast(siteId: string, fromMs: number, hours: number): Promise<TemperatureForecast>;
}
