import { QuietWattConfig } from '../../../src/config/schema/index.js';
import type { SafetyContext } from '../../../src/domain/safety/context.js';

/** One space per output format, all with schedules, for the simulated controllers. */
export function controllersConfig(overrides: Record<string, unknown> = {}, prefix = 'qw'): QuietWattConfig {
  return QuietWattConfig.parse({
    mqtt: { topicPrefix: prefix },
    simulator: { enabled: true, seed: 3, overrides: { perDevicePerDay: 0 }, ...overrides },
    schedules: [
      {
        id: 'lights',
        kind: 'lighting',
        defaultLevelPct: 30,
        blocks: [{ from: '08:00', to: '20:00', levelPct: 100 }],
      },
      { id: 'ac', kind: 'hvac', blocks: [{ from: '08:00', to: '20:00', mode: 'cool', setpointC: 26 }] },
    ],
    sites: [
      {
        id: 'site',
        name: 'Site',
        timezone: 'Asia/Shanghai',
        spaces: [
          {
            id: 'gym',
            type: 'gym',
            areaM2: 100,
            devices: [
              { id: 'native-light', kind: 'lighting', schedule: 'lights', ratedPowerW: 1000 },
              { id: 'native-ac', kind: 'hvac', schedule: 'ac', ratedPowerW: 3000 },
              {
                id: 'z2m-light',
                kind: 'lighting',
                schedule: 'lights',
                ratedPowerW: 500,
                output: 'zigbee2mqtt',
                topic: 'zigbee2mqtt/gym-strip',
                stateTopic: 'bridge/z2m-light/state',
              },
              {
                id: 'tas-dimmer',
                kind: 'lighting',
                schedule: 'lights',
                ratedPowerW: 500,
                output: 'tasmota',
                topic: 'gym-dimmer',
                outputOptions: { tasmotaSafetyTimer: true },
              },
              {
                id: 'tas-relay',
                kind: 'lighting',
                schedule: 'lights',
                ratedPowerW: 500,
                output: 'tasmota',
                topic: 'gym-relay',
                outputOptions: { tasmotaChannel: 'relay', tasmotaRelay: 2 },
              },
              {
                id: 'ha-light',
                kind: 'lighting',
                schedule: 'lights',
                ratedPowerW: 500,
                output: 'home-assistant',
                topic: 'ha/gym-light',
              },
              {
                id: 'ha-ac',
                kind: 'hvac',
                schedule: 'ac',
                ratedPowerW: 3000,
                output: 'home-assistant',
                topic: 'ha/gym-ac',
              },
            ],
          },
        ],
      },
    ],
  });
}

/** The safety layer's view of a configured device (to encode messages as the service does). */
export function contextOf(config: QuietWattConfig, deviceId: string): SafetyContext {
  const site = config.sites[0];
  const space = site?.spaces[0];
  const device = space?.devices.find((d) => d.id === deviceId);
  if (!site || !space || !device) throw new Error(`no device ${deviceId}`);
  return {
    siteId: site.id,
    spaceId: space.id,
    spaceType: space.type,
    timezone: site.timezone,
    device,
    control: config.control,
    schedules: config.schedules,
    prefix: config.mqtt.topicPrefix,
  };
}
