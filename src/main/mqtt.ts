import type { BrokerCredentials } from '../adapters/mqtt/broker-credentials.js';
import { EmbeddedBroker, EmbeddedBrokerError } from '../adapters/mqtt/embedded-broker.js';
import { MqttBus, type MqttBusOptions, redactUrl } from '../adapters/mqtt/mqtt-bus.js';
import { SqliteInbox } from '../adapters/sqlite/inbox-store.js';
import type { SqliteStorage } from '../adapters/sqlite/storage.js';
import { instanceIdentity } from '../config/instance-identity.js';
import type { QuietWattConfig } from '../config/schema/index.js';
import type { Clock } from '../ports/clock.js';
import type { Component } from '../ports/component.js';
import type { Logger } from '../ports/logger.js';
import type { AlertSink } from '../ports/operations.js';

/** The broker connection: the service's bus and, for `mqtt.url: embedded`, the broker itself. */
export interface MqttWiring {
  readonly components: Component[];
  readonly bus: MqttBus;
  /** How another client (the simulator) reaches the same broker with the same credentials. */
  readonly clientOptions: Omit<MqttBusOptions, 'clientId' | 'persistentSession'>;
  /** The broker, for the banner (credentials in a URL are redacted). */
  readonly describe: string;
}

export function wireMqtt(w: {
  readonly config: Readonly<QuietWattConfig>;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly clock: Clock;
  readonly log: Logger;
  /** Holds the write-ahead inbox: readings and samples are stored there before they are acknowledged. */
  readonly storage: SqliteStorage;
  /** Told while the inbox refuses appends (and so nothing is acknowledged). */
  readonly alerts?: AlertSink;
}): MqttWiring {
  const { mqtt } = w.config;
  const identity = instanceIdentity(w.config);
  const components: Component[] = [];
  const embedded = mqtt.url === 'embedded';
  const url = embedded ? `mqtt://127.0.0.1:${mqtt.embeddedPort}` : mqtt.url;
  const username = mqtt.usernameEnv ? w.env[mqtt.usernameEnv] : undefined;
  const password = mqtt.passwordEnv ? w.env[mqtt.passwordEnv] : undefined;
  // Before the bus, so the broker starts first and stops last.
  if (embedded) {
    components.push(
      new EmbeddedBroker(
        mqtt.embeddedPort,
        w.log.child({ component: 'broker' }),
        '127.0.0.1',
        embeddedCredentials(mqtt.passwordEnv, username, password),
      ),
    );
  }
  const clientOptions = {
    url,
    protocolVersion: embedded ? (4 as const) : mqtt.protocolVersion,
    sessionExpirySeconds: mqtt.sessionExpirySeconds,
    username,
    password,
    ...(mqtt.tls ? { tls: mqtt.tls } : {}),
  };
  const bus = new MqttBus(
    {
      ...clientOptions,
      clientId: identity.clientId,
      persistentSession: true,
      // MQTT 5: the broker drops what exceeds the payload limit instead of sending it whole.
      maxPayloadBytes: mqtt.maxPayloadBytes,
      coveringFilters: mqtt.coveringFilters,
      inbox: new SqliteInbox(w.storage.database.db),
      ...(w.alerts ? { alerts: w.alerts } : {}),
      // Each instance its own: the broker announces this one's will, not its neighbours'. `online`
      // once every service has subscribed (the main composition announces it).
      availability: {
        topic: identity.statusTopic,
        online: 'online',
        offline: 'offline',
        untilAnnounced: true,
      },
    },
    w.clock,
    w.log.child({ component: 'mqtt' }),
  );
  components.push(bus);
  return {
    components,
    bus,
    clientOptions,
    describe: embedded ? `embedded, ${url}` : redactUrl(url),
  };
}

/**
 * With `mqtt.passwordEnv`, the embedded broker requires the password it names (and the username of
 * `mqtt.usernameEnv`, if set), which the service's own clients present. A named variable that is
 * unset refuses to start: the broker would otherwise take anyone.
 */
function embeddedCredentials(
  passwordEnv: string | undefined,
  username: string | undefined,
  password: string | undefined,
): BrokerCredentials | undefined {
  if (passwordEnv === undefined) return undefined;
  if (!password) {
    throw new EmbeddedBrokerError(
      `mqtt.passwordEnv names ${passwordEnv}, which is not set: the embedded broker would take any client. Set it, or remove mqtt.passwordEnv.`,
    );
  }
  return { username, password };
}
