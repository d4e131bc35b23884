import { QuietWattConfig } from '../../../src/config/schema/index.js';

/** A small community exercising every meter and sensor format, under a topic prefix. */
export function simConfig(prefix = 'sim', simulator: Record<string, unknown> = {}): QuietWattConfig {
  return QuietWattConfig.parse({
    simulator: { enabled: true, seed: 7, publishEverySeconds: 60, ...simulator },
    schedules: [
      {
        id: 'lobby-lighting',
        kind: 'lighting',
        defaultLevelPct: 40,
        blocks: [{ from: '17:00', to: '23:00', levelPct: 100 }],
      },
      {
        id: 'gym-lighting',
        kind: 'lighting',
        defaultLevelPct: 0,
        blocks: [{ from: '06:00', to: '22:00', levelPct: 100 }],
      },
      {
        id: 'gym-hvac',
        kind: 'hvac',
        blocks: [
          { months: [6, 7, 8, 9], from: '06:00', to: '22:00', mode: 'cool', setpointC: 25 },
          { months: [12, 1, 2], from: '06:00', to: '22:00', mode: 'heat', setpointC: 20 },
        ],
      },
    ],
    sites: [
      {
        id: 'demo',
        name: 'Demo',
        timezone: 'Asia/Shanghai',
        latitude: 31.2,
        longitude: 121.5,
        outdoorTemperatureTopic: `${prefix}/weather/outdoor`,
        spaces: [
          {
            id: 'lobby',
            type: 'lobby',
            areaM2: 150,
            meters: [
              {
                id: 'lobby-light',
                topic: `${prefix}/tele/lobby/SENSOR`,
                format: 'tasmota',
                measures: 'lighting',
              },
              { id: 'lobby-total', topic: `${prefix}/lobby/total`, format: 'json', measures: 'total' },
            ],
            sensors: [
              {
                id: 'lobby-occ',
                kind: 'occupancy',
                topic: `${prefix}/z2m/lobby-motion`,
                format: 'zigbee2mqtt',
              },
              {
                id: 'lobby-lux',
                kind: 'illuminance',
                topic: `${prefix}/z2m/lobby-motion`,
                format: 'zigbee2mqtt',
              },
            ],
            devices: [{ id: 'lobby-lights', kind: 'lighting', schedule: 'lobby-lighting', ratedPowerW: 900 }],
          },
          {
            id: 'gym',
            type: 'gym',
            areaM2: 200,
            meters: [
              {
                id: 'gym-light',
                topic: `${prefix}/shelly/status/switch:0`,
                format: 'shelly-gen2',
                measures: 'lighting',
              },
              {
                id: 'gym-hvac',
                topic: `${prefix}/z2m/gym-hvac-meter`,
                format: 'zigbee2mqtt',
                measures: 'hvac',
              },
              {
                id: 'gym-plug',
                topic: `${prefix}/gym/plug`,
                format: 'number',
                measures: 'plug',
                value: 'power',
                multiplier: 0.001,
              },
            ],
            sensors: [
              { id: 'gym-occ', kind: 'occupancy', topic: `${prefix}/gym/occupancy`, format: 'json' },
              {
                id: 'gym-temp',
                kind: 'indoor-temperature',
                topic: `${prefix}/gym/temperature`,
                format: 'number',
              },
            ],
            devices: [
              { id: 'gym-lights', kind: 'lighting', schedule: 'gym-lighting', ratedPowerW: 1600 },
              { id: 'gym-ac', kind: 'hvac', schedule: 'gym-hvac', ratedPowerW: 9000 },
            ],
          },
        ],
      },
    ],
  });
}

/** 2026-07-14 00:00 in Shanghai (a Tuesday). */
export const JULY_TUESDAY_MS = Date.UTC(2026, 6, 13, 16);
