import { ConfigFileWatcher } from '../adapters/config-file/watch.js';
import type { QuietWattConfig } from '../config/schema/index.js';
import { configWarnings } from '../config/warnings.js';
import type { Component } from '../ports/component.js';
import type { Logger } from '../ports/logger.js';
import type { ControlService } from '../services/control/control-service.js';
import type { ForecastService } from '../services/forecast/forecast-service.js';
import type { OutdoorForecastService } from '../services/forecast/outdoor-forecast-service.js';
import type { IngestService } from '../services/ingest/ingest-service.js';
import type { HaDiscoveryService } from '../services/integrations/home-assistant/ha-discovery-service.js';
import type { ReloadStatus } from '../services/operations/reload-status.js';
import type { SensorService } from '../services/sensors/sensor-service.js';
import { controlSetup } from './control.js';
import { ingestSetup, sensorSetup } from './inbound.js';
import type { LiveConfig } from './live-config.js';
import { ConfigReloader, type ReloadStep } from './reload.js';
import type { SavingsViewsWiring } from './savings-views.js';

/** Errors of a rejected edit written to the log; `config check` prints every one. */
export const LOGGED_ERRORS_PER_REJECTION = 10;

/** What a valid config will do differently from what it seems to ask (see `config check`). */
export function logConfigWarnings(config: Readonly<QuietWattConfig>, log: Logger): void {
  for (const warning of configWarnings(config)) log.warn({ path: warning.path }, warning.message);
}

/**
 * Watches the config file: a valid change goes to every service that uses it (the steps, in
 * dependency order, all or nothing); an invalid one is logged, recorded and leaves the config in force.
 */
export function wireConfigWatch(w: {
  readonly file: string;
  readonly initial: Readonly<QuietWattConfig>;
  /** The digest of the text `initial` was read from, when the caller has it. */
  readonly initialDigest?: string;
  readonly live: LiveConfig;
  readonly reloads: ReloadStatus;
  readonly steps: readonly ReloadStep[];
  readonly log: Logger;
}): Component {
  const reloader = new ConfigReloader({
    file: w.file,
    running: () => w.live.current(),
    commit: (next) => w.live.commit(next),
    log: w.log,
    reloads: w.reloads,
    steps: w.steps,
  });
  return new ConfigFileWatcher(
    w.file,
    (result) => {
      if (!result.ok) {
        // A broken edit can carry hundreds of errors: the first few in the log, all of them from config check.
        for (const error of result.errors.slice(0, LOGGED_ERRORS_PER_REJECTION))
          w.log.warn({ code: error.code }, error.message);
        const more = result.errors.length - LOGGED_ERRORS_PER_REJECTION;
        w.log.warn(
          { file: w.file, errors: result.errors.length },
          more > 0
            ? `config change rejected (${more} more error(s) not logged: quietwatt config check ${w.file} lists them all); the running config stays`
            : 'config change rejected; the running config stays',
        );
        w.reloads.refused(result.errors);
        return;
      }
      logConfigWarnings(result.config, w.log);
      void reloader.reload(result.config);
    },
    { initial: w.initial, ...(w.initialDigest !== undefined ? { initialDigest: w.initialDigest } : {}) },
  );
}

/** Every service that uses the file's spaces, calendars, tariffs and designs, in dependency order. */
export function reloadSteps(s: {
  readonly live: LiveConfig;
  readonly ledger: { realignDays(): void };
  readonly ingest: IngestService;
  readonly sensors: SensorService;
  readonly forecast: ForecastService;
  readonly outdoorForecast?: OutdoorForecastService;
  readonly control: ControlService;
  readonly savingsViews: SavingsViewsWiring;
  readonly homeAssistant: HaDiscoveryService | undefined;
}): ReloadStep[] {
  return [
    {
      name: 'ledger-days',
      apply: (c) => {
        s.live.useZonesOf(c.sites);
        s.ledger.realignDays();
      },
    },
    { name: 'ingest', apply: (c) => s.ingest.reconfigure(ingestSetup(c)) },
    { name: 'sensors', apply: (c) => s.sensors.reconfigure(sensorSetup(c)) },
    { name: 'outdoor-forecast', apply: (c) => s.outdoorForecast?.reconfigure(c.sites) },
    { name: 'forecast', apply: (c) => s.forecast.reconfigure({ sites: c.sites, forecast: c.forecast }) },
    { name: 'control', apply: (c) => s.control.reconfigure(controlSetup(c)) },
    { name: 'savings', apply: (c) => s.savingsViews.reconfigure(c) },
    { name: 'home-assistant', apply: (c) => s.homeAssistant?.reconfigure(c.sites) },
  ];
}
