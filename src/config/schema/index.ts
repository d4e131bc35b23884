import { z } from 'zod';
import { AlertsConfig } from './alerts.js';
import { ForecastConfig, SavingsConfig } from './analytics.js';
import { crossChecks } from './checks.js';
import { ControlConfig } from './control.js';
import { HomeAssistantConfig } from './home-assistant.js';
import { HttpConfig } from './http.js';
import { InfluxConfig } from './influx.js';
import { InstanceConfig } from './instance.js';
import { MqttConfig } from './mqtt.js';
import { ClockConfig, SimulatorConfig, StorageConfig } from './runtime.js';
import { ScheduleConfig } from './schedule.js';
import { SiteConfig } from './site.js';
import { TariffsConfig } from './tariff.js';

export * from './alerts.js';
export * from './analytics.js';
export * from './checks.js';
export * from './common.js';
export * from './control.js';
export * from './device.js';
export * from './home-assistant.js';
export * from './http.js';
export * from './instance.js';
export * from './meter.js';
export * from './mqtt.js';
export * from './runtime.js';
export * from './schedule.js';
export * from './sensor.js';
export * from './site.js';
export * from './tariff.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;

/** The whole config file. The single source of truth: types, JSON Schema and docs derive from it. */
export const QuietWattConfig = z
  .object({
    version: z.literal(1).default(1).meta({ description: 'Config file format version' }),
    instance: InstanceConfig.prefault({}).meta({
      description: 'Which of several instances sharing one broker this is (docs/scaling.md)',
    }),
    mqtt: MqttConfig.prefault({}).meta({ description: 'Broker connection' }),
    storage: StorageConfig.prefault({}).meta({ description: 'Where state is kept' }),
    clock: ClockConfig.prefault({}).meta({ description: 'Time source of the service and the simulator' }),
    simulator: SimulatorConfig.prefault({}).meta({ description: 'Built-in community simulator' }),
    control: ControlConfig.prefault({}).meta({ description: 'Control: space modes, comfort limits, safety' }),
    tariffs: TariffsConfig.prefault({}).meta({
      description: 'Tariffs and grid CO2 factors for the savings ledger',
    }),
    forecast: ForecastConfig.prefault({}).meta({
      description: 'Forecasting: holiday calendar, nightly refit',
    }),
    savings: SavingsConfig.prefault({}).meta({
      description: 'Savings ledger: baseline periods, randomized on/off',
    }),
    alerts: AlertsConfig.prefault({}).meta({ description: 'Alerts: optional webhook push' }),
    http: HttpConfig.prefault({}).meta({ description: 'HTTP API, dashboard, health checks and metrics' }),
    homeAssistant: HomeAssistantConfig.prefault({}).meta({ description: 'Home Assistant MQTT discovery' }),
    influx: InfluxConfig.optional().meta({
      description: 'Optional InfluxDB sink of readings, forecasts, setpoints and savings',
    }),
    logLevel: z.enum(LOG_LEVELS).default('info').meta({ description: 'Lowest level that is logged' }),
    schedules: z
      .array(ScheduleConfig)
      .default([])
      .meta({ description: 'Fixed schedules the community runs today; devices name them by id' }),
    sites: z.array(SiteConfig).min(1).meta({ description: 'Communities (sites) and their shared spaces' }),
  })
  .strict()
  // Run even when fields are invalid, so one check reports every problem at once. The schema itself
  // goes along: its reference marks say what the reference check looks at.
  .superRefine((cfg, ctx) => crossChecks(cfg, ctx as z.core.$RefinementCtx<unknown>, wholeSchema()), {
    when: () => true,
  })
  .meta({ title: 'QuietWatt configuration' });
export type QuietWattConfig = z.infer<typeof QuietWattConfig>;

/** The schema as seen from its own refinement (typed, so that its type does not depend on itself). */
function wholeSchema(): z.ZodType {
  return QuietWattConfig;
}
