import { resolve } from 'node:path';
import mqtt from 'mqtt';
import pino from 'pino';
import { SystemClock } from '../../adapters/clock/system-clock.js';
import { createRootLogger } from '../../adapters/log/root-logger.js';
import { redactUrl } from '../../adapters/mqtt/mqtt-bus.js';
import { openSqliteStorage } from '../../adapters/sqlite/storage.js';
import { instanceIdentity } from '../../config/instance-identity.js';
import type { QuietWattConfig } from '../../config/schema/index.js';
import type { SiteConfig } from '../../config/schema/site.js';
import { buildMeterIndex } from '../../domain/ingest/meter-index.js';
import { buildSensorIndex, listSensors } from '../../domain/sensors/sensor-index.js';
import { claimStoreForInstance } from '../../main/instance-claim.js';
import { wireMqtt } from '../../main/mqtt.js';
import { INGEST_CONSUMER } from '../../services/ingest/ingest-service.js';
import { SENSORS_CONSUMER } from '../../services/sensors/sensor-service.js';
import type { CommandOutput } from '../output.js';
import { brokerClientOptions, brokerUrlOf } from './broker-command.js';

/** How long the instance's retained status is awaited before it counts as never announced. */
const STATUS_WAIT_MS = 1_500;

/** The instance's retained status (`online`, `offline`), or undefined when none is retained. */
async function instanceStatus(
  config: Readonly<QuietWattConfig>,
  topic: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<string | undefined> {
  const client = await mqtt.connectAsync(brokerUrlOf(config), brokerClientOptions(config, 'reserve', env));
  try {
    return await new Promise<string | undefined>((done) => {
      const timer = setTimeout(() => done(undefined), STATUS_WAIT_MS);
      client.on('message', (t, payload) => {
        if (t !== topic) return;
        clearTimeout(timer);
        done(payload.toString());
      });
      client.subscribe(topic, { qos: 1 });
    });
  } finally {
    await client.endAsync();
  }
}

/**
 * `quietwatt site reserve`: the instance's own broker session (its client id, persistent) subscribes
 * the site's meter and sensor topics, as the instance will at its next start, and disconnects
 * without unsubscribing. From then on the broker queues the site's messages for the instance while
 * it is stopped, so a site moving to it loses nothing between the old instance letting go and this
 * one starting. What the broker hands over meanwhile goes to the instance's write-ahead inbox, as
 * the running service would store it, and is replayed at its start: the site's readings after the
 * import, the instance's other queued messages to the services that subscribe to them.
 */
export async function reserveSite(
  config: Readonly<QuietWattConfig>,
  site: SiteConfig,
  env: Readonly<Record<string, string | undefined>>,
  out: CommandOutput,
): Promise<number> {
  if (config.mqtt.url === 'embedded') {
    out.error('mqtt.url is embedded: a site moves between instances on a shared broker (docs/scaling.md)');
    return 1;
  }
  const identity = instanceIdentity(config);
  let status: string | undefined;
  try {
    status = await instanceStatus(config, identity.statusTopic, env);
  } catch (error) {
    out.error(
      `broker ${redactUrl(brokerUrlOf(config))} not reachable: ${error instanceof Error ? error.message : String(error)}`,
    );
    return 1;
  }
  if (status === 'online') {
    out.error(
      `${identity.statusTopic} says online: stop the instance first (its connection and this one share a client id)`,
    );
    return 1;
  }
  const dir = resolve(config.storage.dir);
  // Warnings only (a refused subscription, a lost connection), on stderr beside the command's output.
  const log = createRootLogger({ level: 'warn', destination: pino.destination(2) });
  const storage = openSqliteStorage(dir, log);
  try {
    claimStoreForInstance(storage.stores.settings, identity.id, dir);
    const { bus } = wireMqtt({ config, env, clock: new SystemClock(), log, storage });
    const meterTopics = [...buildMeterIndex([site]).keys()];
    const sensorTopics = [...buildSensorIndex(listSensors([site])).keys()];
    await bus.start();
    try {
      // No handler takes a message here: what the broker sends stays in the inbox for the services.
      const keep = () => undefined;
      if (meterTopics.length > 0) await bus.subscribe(meterTopics, keep, { durableAs: INGEST_CONSUMER });
      if (sensorTopics.length > 0) await bus.subscribe(sensorTopics, keep, { durableAs: SENSORS_CONSUMER });
    } finally {
      await bus.stop();
    }
    out.log(
      `reserved site ${site.id} for ${identity.clientId}: ${meterTopics.length} meter and ${sensorTopics.length} sensor topic(s) subscribed in its broker session; the broker queues them until it starts`,
    );
    return 0;
  } finally {
    storage.database.close();
  }
}
