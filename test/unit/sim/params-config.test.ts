import { describe, expect, it } from 'vitest';
import { SimulatorConfig } from '../../../src/config/schema/runtime.js';
import { buildCommunityModel, spaceTypeParams } from '../../../src/sim/model/build.js';
import { SPACE_TYPE_PARAMS } from '../../../src/sim/model/profiles.js';
import { simConfig } from './fixture.js';

describe('simulator parameters from config', () => {
  it('per-type overrides replace only the fields given; arrivalScale scales every arrival rate', () => {
    const base = SPACE_TYPE_PARAMS.gym;
    const p = spaceTypeParams('gym', { designLux: 300, plugPerOccupantW: 80, arrivalScale: 2 });
    expect(p.designLux).toBe(300);
    expect(p.plugPerOccupantW).toBe(80);
    expect(p.referenceAreaM2).toBeCloseTo(base.referenceAreaM2 / 2, 9);
    expect(p.uaWPerKM2).toBe(base.uaWPerKM2);
    expect(spaceTypeParams('gym', undefined)).toBe(base);
  });

  it('reach the model through simulator.spaceTypes, with defaults for overrides', () => {
    const model = buildCommunityModel(
      simConfig('p', { spaceTypes: { lobby: { uaWPerKM2: 6, dwellMinutes: 3 } } }),
    );
    const lobby = model.sites[0]?.spaces.find((s) => s.type === 'lobby');
    expect(lobby?.params.uaWPerKM2).toBe(6);
    expect(lobby?.params.dwellMinutes).toBe(3);
    expect(lobby?.thermal.uaWPerK).toBe(6 * (lobby?.areaM2 ?? 0));
    const d = SimulatorConfig.parse({});
    expect(d.controllers).toBe(true);
    expect(d.overrides).toMatchObject({
      perDevicePerDay: 0.3,
      meanMinutes: 45,
      spaceTypes: ['gym', 'clubhouse'],
    });
    expect(() => SimulatorConfig.parse({ overrides: { perDevicePerDay: -1 } })).toThrow();
    expect(() => SimulatorConfig.parse({ spaceTypes: { lobby: { designLux: 0 } } })).toThrow();
  });

  it('give each simulated unit the fan draw its config states, a tenth of its rating otherwise', () => {
    const cfg = simConfig('p');
    const site = cfg.sites[0];
    const lobby = site?.spaces[0];
    if (!site || !lobby) throw new Error('no space');
    const units = [
      { id: 'ac-quiet', kind: 'hvac' as const, ratedPowerW: 3000, idlePowerW: 45, output: 'native' as const },
      { id: 'ac-plain', kind: 'hvac' as const, ratedPowerW: 2000, output: 'native' as const },
    ];
    const model = buildCommunityModel({
      ...cfg,
      sites: [
        { ...site, spaces: [{ ...lobby, devices: [...lobby.devices, ...units] as typeof lobby.devices }] },
      ],
    });
    const fans = model.sites[0]?.spaces[0]?.devices.flatMap((d) =>
      d.kind === 'hvac' ? [[d.id, d.ratedPowerW * d.fanShare]] : [],
    );
    expect(fans).toEqual([
      ['ac-quiet', 45],
      ['ac-plain', 200],
    ]);
  });
});
