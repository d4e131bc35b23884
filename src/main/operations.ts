import type Database from 'better-sqlite3';
import { serviceCommandSecret } from '../adapters/secrets/command-secret.js';
import { SqliteAlertStore } from '../adapters/sqlite/alert-store.js';
import { SqliteCommandLogStore } from '../adapters/sqlite/command-log-store.js';
import { WebhookNotifier } from '../adapters/webhook/webhook-notifier.js';
import type { QuietWattConfig } from '../config/schema/index.js';
import type { CommandTarget } from '../domain/commands/envelope.js';
import type { Clock } from '../ports/clock.js';
import type { CommandLogEntry, CommandLogQuery } from '../ports/command-log.js';
import type { Component } from '../ports/component.js';
import type { MeterActivity, SensorFreshnessView } from '../ports/control-inputs.js';
import type { Logger } from '../ports/logger.js';
import type { MessageBus } from '../ports/message-bus.js';
import type { Scheduler } from '../ports/scheduler.js';
import type { KeyValueStore } from '../ports/stores.js';
import { AlertService } from '../services/operations/alert-service.js';
import { CommandSequence } from '../services/operations/command-sequence.js';
import { CommandService, type ControlOperations } from '../services/operations/command-service.js';
import { HealthAlerts } from '../services/operations/health-alerts.js';
import { MqttCommandChannel } from '../services/operations/mqtt-commands.js';
import { ReloadStatus } from '../services/operations/reload-status.js';
import { SpaceModes } from '../services/operations/space-modes.js';
import { targetHeld } from '../services/operations/targets.js';

/** The config in force: the watcher replaces it on each accepted reload. */
export interface ConfigInForce {
  current(): Readonly<QuietWattConfig>;
}

/**
 * Alerts, operator modes and the reload record: built before the services, which take the alert
 * sink and the modes as dependencies.
 */
export function wireAlertsAndModes(w: {
  readonly config: ConfigInForce;
  readonly configFile: string;
  readonly db: Database.Database;
  readonly settings: KeyValueStore;
  readonly clock: Clock;
  readonly log: Logger;
  readonly env: Readonly<Record<string, string | undefined>>;
}) {
  const components: Component[] = [];
  const webhook = w.config.current().alerts.webhook;
  let notifier: WebhookNotifier | undefined;
  if (webhook) {
    const token = webhook.tokenEnv ? w.env[webhook.tokenEnv] : undefined;
    if (webhook.tokenEnv && token === undefined)
      w.log.warn(
        { tokenEnv: webhook.tokenEnv },
        'alert webhook token variable is not set; pushing without it',
      );
    notifier = new WebhookNotifier({
      url: webhook.url,
      ...(token === undefined ? {} : { token }),
      minSeverity: webhook.minSeverity,
      timeoutMs: webhook.timeoutSeconds * 1000,
      maxAttempts: webhook.maxAttempts,
      log: w.log.child({ component: 'alert-webhook' }),
    });
    components.push(notifier);
  }
  const alerts = new AlertService({
    store: new SqliteAlertStore(w.db),
    clock: w.clock,
    log: w.log.child({ component: 'alerts' }),
    ...(notifier ? { notifier } : {}),
  });
  components.push(alerts);
  const modes = new SpaceModes(
    w.settings,
    () => w.config.current().control,
    w.log.child({ component: 'modes' }),
  );
  const reloads = new ReloadStatus(w.configFile, w.clock, alerts);
  return { alerts, modes, reloads, components };
}

/**
 * The command handler over the control loop, its MQTT face, and the health checks that raise
 * stale-input and store alerts: built after the control service.
 */
export function wireCommands(w: {
  readonly config: ConfigInForce;
  readonly db: Database.Database;
  readonly bus: MessageBus;
  readonly clock: Clock;
  readonly scheduler: Scheduler;
  readonly log: Logger;
  readonly control: ControlOperations;
  readonly modes: SpaceModes;
  readonly alerts: AlertService;
  readonly meters: MeterActivity;
  readonly sensors: { freshness(): readonly SensorFreshnessView[] };
  readonly probeStore: () => void;
  readonly settings: KeyValueStore;
  readonly env: Readonly<Record<string, string | undefined>>;
}) {
  const commandLog = new SqliteCommandLogStore(w.db);
  const commands = new CommandService({
    clock: w.clock,
    log: w.log.child({ component: 'commands' }),
    store: commandLog,
    modes: w.modes,
    control: w.control,
    sites: () => w.config.current().sites,
  });
  const components: Component[] = [];
  const config = w.config.current();
  if (config.mqtt.commands.enabled) {
    const log = w.log.child({ component: 'commands' });
    const { secret, source } = serviceCommandSecret(config, w.env);
    log.info({ secretFrom: source }, 'MQTT command topics on: signed commands only');
    components.push(
      new MqttCommandChannel({
        bus: w.bus,
        clock: w.clock,
        log,
        handler: commands,
        prefix: config.mqtt.topicPrefix,
        auth: { secret, sequence: new CommandSequence(w.settings) },
        // One of several instances: other instances' sites are theirs to answer for.
        ...(config.instance.id !== undefined
          ? {
              holds: (target: CommandTarget) => targetHeld(w.config.current().sites, target),
              instanceId: config.instance.id,
            }
          : {}),
      }),
    );
  }
  const health = new HealthAlerts({
    clock: w.clock,
    scheduler: w.scheduler,
    log: w.log.child({ component: 'health' }),
    alerts: w.alerts,
    config: () => ({
      sites: w.config.current().sites,
      staleAfterMinutes: w.config.current().control.staleAfterMinutes,
    }),
    meters: w.meters,
    sensors: w.sensors,
    probeStore: w.probeStore,
  });
  const recentCommands = (query: CommandLogQuery): CommandLogEntry[] => commands.recentCommands(query);
  components.push(health);
  return { commands, recentCommands, components };
}
