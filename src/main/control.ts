import { WorkerLpSolver } from '../adapters/solver/worker-lp-solver.js';
import { component } from '../app.js';
import type { QuietWattConfig } from '../config/schema/index.js';
import type { Component } from '../ports/component.js';
import type { MessageBus } from '../ports/message-bus.js';
import { ControlService, type ControlServiceDeps } from '../services/control/control-service.js';
import type { WiringContext } from './context.js';
import type { InboundWiring } from './inbound.js';
import type { InfluxWiring } from './influx.js';
import type { ModelsWiring } from './models.js';

/** What the control loop takes from the config; a reload passes it the new one. */
export const controlSetup = (c: Readonly<QuietWattConfig>) => ({
  sites: c.sites,
  schedules: c.schedules,
  control: c.control,
  prefix: c.mqtt.topicPrefix,
  tariffs: c.tariffs,
});

/**
 * The control loop over the inputs it plans from: live meters and sensors, occupancy history, and the
 * forecast service's occupancy and outdoor temperature. Pushed after the bus, so it stops first:
 * devices are handed back before the bus publishes `offline`.
 */
export function wireControl(
  w: WiringContext,
  c: {
    readonly influx: InfluxWiring;
    readonly bus: MessageBus;
    readonly modes: NonNullable<ControlServiceDeps['modes']>;
    readonly alerts: NonNullable<ControlServiceDeps['alerts']>;
    readonly inbound: InboundWiring;
    readonly models: Pick<ModelsWiring, 'forecast' | 'savings'>;
  },
): { readonly control: ControlService; readonly components: Component[] } {
  const { forecast, savings } = c.models;
  const { ingest, sensors, sensorStore } = c.inbound;
  // HiGHS runs in a worker thread (a solve is synchronous); it closes after the control loop stops.
  const hvacSolver = new WorkerLpSolver(w.log.child({ component: 'lp-solver' }));
  const solver = component(
    'lp-solver',
    () => undefined,
    () => hvacSolver.close(),
  );
  const control = new ControlService({
    hvacSolver,
    modes: c.modes,
    alerts: c.alerts,
    bus: c.bus,
    clock: w.clock,
    scheduler: w.scheduler,
    log: w.log.child({ component: 'control' }),
    audit: c.influx.taps.audit(w.stores.setpointAudit),
    settings: w.stores.settings,
    setup: controlSetup(w.live.current()),
    sensors,
    meters: ingest,
    occupancyHistory: (siteId, spaceId, fromMs, toMs) =>
      sensorStore.occupancyFractionFor({ siteId, spaceId }, fromMs, toMs, 15),
    forecasts: {
      occupancy: (siteId, spaceId) => {
        const f = forecast.occupancyFor(siteId, spaceId);
        return f ? { tsMs: f.tsMs, values: f.probability } : undefined;
      },
      outdoorTemperature: (siteId, spaceId) => {
        const f =
          forecast.forecastFor(siteId, spaceId, 'hvac') ?? forecast.forecastFor(siteId, spaceId, 'lighting');
        return f ? { tsMs: f.tsMs, values: f.temperatureC } : undefined;
      },
    },
    dayArm: (siteId, dateLocal) => savings.armFor(siteId, dateLocal),
  });
  return { control, components: [solver, control] };
}
