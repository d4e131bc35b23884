import { instanceStatusTopic } from '../domain/setpoints/contract.js';
import type { QuietWattConfig } from './schema/index.js';

/** How one instance shows itself on the broker: derived here only, so the service, CLI and checks agree. */
export interface InstanceIdentity {
  /** `instance.id`, or undefined for a single instance. */
  readonly id: string | undefined;
  /** The MQTT client id the broker keeps this instance's persistent session under. */
  readonly clientId: string;
  /** Retained `online`, and `offline` as the last will. */
  readonly statusTopic: string;
}

const DEFAULT_CLIENT_ID = 'quietwatt';

export function instanceIdentity(
  config: Pick<QuietWattConfig, 'instance'> & {
    readonly mqtt: Pick<QuietWattConfig['mqtt'], 'clientId' | 'topicPrefix'>;
  },
): InstanceIdentity {
  const id = config.instance.id;
  return {
    id,
    clientId: config.mqtt.clientId ?? (id === undefined ? DEFAULT_CLIENT_ID : `${DEFAULT_CLIENT_ID}-${id}`),
    statusTopic: instanceStatusTopic(config.mqtt.topicPrefix, id),
  };
}
