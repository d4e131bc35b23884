import { type ConfigError, makeError, showValue } from './errors.js';
import { instanceIdentity } from './instance-identity.js';
import type { QuietWattConfig } from './schema/index.js';

/** One instance's config, already valid on its own. */
export interface InstanceFile {
  readonly file: string;
  readonly config: Readonly<QuietWattConfig>;
}

const ID = 'meter, sensor or device id';
const UNIQUE_ID =
  'ids unique across all instances, as within one file, so that any site can move to any instance (docs/scaling.md)';

interface Claim {
  readonly file: string;
  readonly path: string;
}

/**
 * Checks several instances' configs that share one broker: every site, and every meter topic, is
 * served by exactly one instance (two would store its readings twice and disagree on its setpoints),
 * and no two instances share a client id (the broker would throw one off whenever the other
 * connects) or a status topic (one's last will would report the other offline). Meter, sensor and
 * device ids are unique across instances too, as within one file: a store keys readings by them,
 * and a site could not join a file that has one of its ids. Errors name the file, the
 * field and the value, and where the value was claimed first.
 */
export function checkInstances(files: readonly InstanceFile[]): ConfigError[] {
  const errors: ConfigError[] = [];
  const claims = new Map<string, Claim>();
  const claim = (kind: string, value: string, at: Claim, expected: string): void => {
    const key = `${kind}\u0000${value}`;
    const first = claims.get(key);
    if (first === undefined) {
      claims.set(key, at);
      return;
    }
    errors.push(
      makeError(at.file, 'QW_CONFIG_INVALID', {
        path: at.path,
        expected,
        value: showValue(value),
        text: `${kind} ${showValue(value)} is also claimed by ${first.file} (${first.path}): ${expected}`,
      }),
    );
  };
  for (const { file, config } of files) {
    const identity = instanceIdentity(config);
    const idPath = config.mqtt.clientId !== undefined ? 'mqtt.clientId' : 'instance.id';
    claim(
      'MQTT client id',
      identity.clientId,
      { file, path: idPath },
      'each instance its own client id: give each an instance.id (or its own mqtt.clientId)',
    );
    claim(
      'status topic',
      identity.statusTopic,
      { file, path: 'instance.id' },
      'each instance its own status topic and last will: give each a different instance.id',
    );
    config.sites.forEach((site, i) => {
      claim(
        'site',
        site.id,
        { file, path: `sites[${i}].id` },
        'a site belongs to exactly one instance; to move it, use quietwatt site export and import (docs/scaling.md)',
      );
      site.spaces.forEach((space, j) => {
        space.meters.forEach((meter, k) => {
          const at = `sites[${i}].spaces[${j}].meters[${k}]`;
          claim(
            'meter topic',
            meter.topic,
            { file, path: `${at}.topic` },
            'a meter topic is read by exactly one instance, or its readings are counted twice',
          );
          claim(ID, meter.id, { file, path: `${at}.id` }, UNIQUE_ID);
        });
        space.sensors.forEach((sensor, k) => {
          claim(ID, sensor.id, { file, path: `sites[${i}].spaces[${j}].sensors[${k}].id` }, UNIQUE_ID);
        });
        space.devices.forEach((device, k) => {
          claim(ID, device.id, { file, path: `sites[${i}].spaces[${j}].devices[${k}].id` }, UNIQUE_ID);
        });
      });
    });
  }
  return errors;
}
