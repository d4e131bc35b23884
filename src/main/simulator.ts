import { MqttBus } from '../adapters/mqtt/mqtt-bus.js';
import type { WarmupDriver } from '../adapters/scheduler/warmup-driver.js';
import { component } from '../app.js';
import { instanceIdentity } from '../config/instance-identity.js';
import type { Component } from '../ports/component.js';
import { CommunitySimulator } from '../sim/community-simulator.js';
import type { WiringContext } from './context.js';
import type { MqttWiring } from './mqtt.js';
import { ReplaySync } from './replay-sync.js';

/** The demo community: a separate MQTT client that publishes exactly as real meters do. */
export function wireSimulator(
  w: WiringContext,
  mqtt: MqttWiring,
  fastForward: WarmupDriver | undefined,
): Component[] {
  if (!w.config.simulator.enabled) return [];
  const simBus = new MqttBus(
    {
      ...mqtt.clientOptions,
      clientId: `${instanceIdentity(w.config).clientId}-simulator`,
      persistentSession: false,
    },
    w.clock,
    w.log.child({ component: 'simulator-mqtt' }),
  );
  const components: Component[] = [simBus];
  if (fastForward) {
    // A replay step ends only once the service has taken every message the simulator sent in it.
    const sync = new ReplaySync(
      mqtt.bus,
      simBus,
      w.config.mqtt.topicPrefix,
      w.log.child({ component: 'clock' }),
    );
    components.push(
      component(
        'replay-sync',
        () => sync.start(),
        () => sync.stop(),
      ),
    );
    fastForward.settle = () => sync.settle();
  }
  components.push(
    new CommunitySimulator({
      config: w.config,
      clock: w.clock,
      scheduler: w.scheduler,
      bus: simBus,
      log: w.log.child({ component: 'simulator' }),
    }),
  );
  return components;
}
