/**
 * Wiring of the savings and comfort read models, and of config reloads into the savings ledger:
 * both views read the config in force on every query, so a reload counts at once; the ledger takes
 * the sites, modes, tariffs, holiday calendar, savings designs and plan settings.
 */
import type { QuietWattConfig } from '../config/schema/index.js';
import type { ComfortView, SavingsView } from '../ports/savings-view.js';
import type {
  KeyValueStore,
  ModelRegistryStore,
  SavingsLedgerStore,
  SensorStore,
  SetpointAuditStore,
} from '../ports/stores.js';
import { SensorComfortView } from '../services/reporting/comfort-view.js';
import { LedgerSavingsView } from '../services/reporting/savings-view.js';
import type { SavingsLedgerService } from '../services/savings/savings-ledger-service.js';

export interface SavingsViewsWiring {
  readonly savingsView: SavingsView;
  readonly comfortView: ComfortView;
  /** Call with each config the watcher accepted; throws, changing nothing, when the ledger cannot take it. */
  reconfigure(config: Readonly<QuietWattConfig>): void;
}

export function wireSavingsViews(deps: {
  readonly config: Readonly<QuietWattConfig>;
  readonly savings: SavingsLedgerService;
  readonly ledger: SavingsLedgerStore;
  readonly settings: KeyValueStore;
  readonly models: ModelRegistryStore;
  readonly sensors: SensorStore;
  readonly audit: SetpointAuditStore;
}): SavingsViewsWiring {
  let current = deps.config;
  const savingsView = new LedgerSavingsView({
    ledger: deps.ledger,
    settings: deps.settings,
    models: deps.models,
    config: () => ({
      sites: current.sites,
      provisionalHalfWidthPct: current.savings.provisionalHalfWidthPct,
    }),
  });
  const comfortView = new SensorComfortView({
    sensors: deps.sensors,
    audit: deps.audit,
    settings: deps.settings,
    config: () => current,
  });
  return {
    savingsView,
    comfortView,
    reconfigure(config) {
      // The ledger first: when it refuses the config, the views keep showing the one it counts by.
      deps.savings.reconfigure({
        sites: config.sites,
        control: config.control,
        tariffs: config.tariffs,
        savings: config.savings,
        schedules: config.schedules,
        forecast: config.forecast,
      });
      current = config;
    },
  };
}
