import type { SqliteSensorStore } from '../adapters/sqlite/sensor-store.js';
import type { MessageBus } from '../ports/message-bus.js';
import { OutdoorForecastService } from '../services/forecast/outdoor-forecast-service.js';
import type { WiringContext } from './context.js';

/**
 * The sites' outdoor temperature forecasts: their forecast topics, else their outdoor sensor
 * history. `onUpdate` is bound late, to the forecast service that reads them.
 */
export function wireOutdoorForecast(
  w: WiringContext,
  m: { readonly bus: MessageBus; readonly sensorStore: SqliteSensorStore },
): { readonly service: OutdoorForecastService; onUpdate(listener: (siteId: string) => void): void } {
  let listener: ((siteId: string) => void) | undefined;
  const service = new OutdoorForecastService({
    bus: m.bus,
    clock: w.clock,
    log: w.log.child({ component: 'outdoor-forecast' }),
    sites: w.config.sites,
    temperature: (siteId, fromMs, toMs) => m.sensorStore.outdoorTemperatureHourly(siteId, fromMs, toMs),
    rejections: w.stores.rejections,
    onUpdate: (siteId) => listener?.(siteId),
  });
  return {
    service,
    onUpdate: (l) => {
      listener = l;
    },
  };
}
