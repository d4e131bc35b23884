import type { ThermalSample } from '../../domain/planning/learn.js';
import { localTime } from '../model/calendar.js';
import type { CommunityModel, DeviceModel, SpaceModel } from '../model/community.js';
import { hvacCommandFor } from '../model/space-step.js';
import type { CommunityState } from '../model/state.js';

const SAMPLE_MS = 300_000;
const FAN_SHARE = 0.1;

interface Acc {
  space: SpaceModel;
  tz: string;
  rule: 'china' | 'none';
  hvac: (DeviceModel & { kind: 'hvac' })[];
  samples: ThermalSample[];
  dutySum: number;
  steps: number;
  mode: 'off' | 'cool' | 'heat';
  startMs: number | undefined;
  startC: number;
  outdoorC: number;
}

/**
 * Five-minute samples of each conditioned space as its sensors and HVAC meter show it: indoor and
 * outdoor temperature at the start of the interval, and the HVAC output share over it (compressor
 * power / compressor rating, so fans alone count as zero). What `learnThermalRates` learns from.
 */
export class ThermalSampler {
  private readonly acc: Acc[] = [];

  constructor(model: CommunityModel) {
    for (const site of model.sites)
      for (const space of site.spaces) {
        const hvac = space.devices.filter((d): d is DeviceModel & { kind: 'hvac' } => d.kind === 'hvac');
        if (hvac.length === 0) continue;
        this.acc.push({
          space,
          tz: site.timezone,
          rule: site.holidayRule,
          hvac,
          samples: [],
          dutySum: 0,
          steps: 0,
          mode: 'off',
          startMs: undefined,
          startC: 0,
          outdoorC: 0,
        });
      }
  }

  observe(before: CommunityState, after: CommunityState): void {
    for (const a of this.acc) {
      const prev = before.spaces[a.space.key];
      const next = after.spaces[a.space.key];
      const site = before.sites[a.space.siteId];
      if (!prev || !next || !site) continue;
      if (a.startMs === undefined || before.tMs - a.startMs >= SAMPLE_MS) {
        if (a.startMs !== undefined && a.steps > 0) {
          a.samples.push({
            tsMs: a.startMs,
            indoorC: a.startC,
            outdoorC: a.outdoorC,
            hvacDuty: a.dutySum / a.steps,
            mode: a.mode,
          });
        }
        const at = localTime(before.tMs, a.tz, a.rule);
        const first = a.hvac[0];
        const c = first ? hvacCommandFor(first, before.leases[first.id], before.tMs, at) : undefined;
        a.mode = c?.mode === 'cool' || c?.mode === 'heat' ? c.mode : 'off';
        a.startMs = before.tMs;
        a.startC = prev.indoorC;
        a.outdoorC = site.now.outdoorC;
        a.dutySum = 0;
        a.steps = 0;
      }
      const rated = a.hvac.reduce((s, d) => s + d.ratedPowerW, 0);
      const fans = next.hvacW > 0 ? rated * FAN_SHARE : 0;
      a.dutySum += Math.max(0, Math.min(1, (next.hvacW - fans) / (rated * (1 - FAN_SHARE))));
      a.steps++;
    }
  }

  samples(): Map<string, ThermalSample[]> {
    return new Map(this.acc.map((a) => [a.space.key, a.samples]));
  }
}
