/** Wiring of the optional Home Assistant discovery (`homeAssistant.enabled`). */
import { instanceIdentity } from '../config/instance-identity.js';
import type { QuietWattConfig } from '../config/schema/index.js';
import type { Clock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';
import type { MessageBus } from '../ports/message-bus.js';
import type { AlertReader, CommandHandler } from '../ports/operations.js';
import type { Scheduler } from '../ports/scheduler.js';
import type { IntervalStore, SavingsLedgerStore, SetpointAuditStore } from '../ports/stores.js';
import { HaDiscoveryService } from '../services/integrations/home-assistant/ha-discovery-service.js';
import {
  StoreStateSources,
  type StoreStateSourcesDeps,
} from '../services/integrations/home-assistant/state-sources.js';

export function wireHomeAssistant(w: {
  readonly config: Readonly<QuietWattConfig>;
  readonly bus: MessageBus;
  readonly clock: Clock;
  readonly scheduler: Scheduler;
  readonly log: Logger;
  readonly commands: CommandHandler;
  readonly control: StoreStateSourcesDeps['control'];
  readonly modeOf: StoreStateSourcesDeps['modeOf'];
  readonly alerts: AlertReader;
  readonly intervals: IntervalStore;
  readonly ledger: SavingsLedgerStore;
  readonly audit: SetpointAuditStore;
}): HaDiscoveryService | undefined {
  const ha = w.config.homeAssistant;
  if (!ha.enabled) return undefined;
  return new HaDiscoveryService({
    bus: w.bus,
    clock: w.clock,
    scheduler: w.scheduler,
    log: w.log,
    commands: w.commands,
    sources: new StoreStateSources({
      intervals: w.intervals,
      ledger: w.ledger,
      audit: w.audit,
      alerts: w.alerts,
      modeOf: w.modeOf,
      control: w.control,
    }),
    setup: {
      prefix: w.config.mqtt.topicPrefix,
      statusTopic: instanceIdentity(w.config).statusTopic,
      ...(w.config.instance.id === undefined ? {} : { instanceId: w.config.instance.id }),
      discoveryPrefix: ha.discoveryPrefix,
      commandsEnabled: ha.commandsEnabled,
      stateEverySeconds: ha.stateEverySeconds,
    },
    sites: w.config.sites,
  });
}
