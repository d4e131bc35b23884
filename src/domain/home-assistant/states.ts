/**
 * The state JSON that QuietWatt's Home Assistant entities read (one retained message per space,
 * one for the service). `null` renders as `None` in the value templates, which Home Assistant
 * shows as unknown: no meter yet, no measured savings yet, a device on its own schedule.
 */
import type { SpaceMode } from '../control/space-mode.js';
import type { SetpointValue } from '../setpoints/contract.js';
import { setpointKeys } from './discovery.js';

export interface SpaceHaState {
  /** Everything the space's meters recorded, kWh; undefined before the first interval. */
  readonly energyKWh: number | undefined;
  /** Measured savings to date, kWh; undefined before the first measured hour. */
  readonly savedKWh: number | undefined;
  readonly mode: SpaceMode;
  /** Messages of the space's open alerts. */
  readonly alerts: readonly string[];
  /** Per device of the space (lighting and HVAC): the setpoint in force, if any. */
  readonly devices: readonly { readonly id: string; readonly kind: string; readonly value?: SetpointValue }[];
}

type SetpointState = Record<'level_pct' | 'heat_c' | 'cool_c', number | null>;

function setpointState(kind: string, value: SetpointValue | undefined): Partial<SetpointState> {
  const out: Partial<SetpointState> = {};
  for (const key of setpointKeys(kind)) out[key] = null;
  if (value?.kind === 'lighting') out.level_pct = value.levelPct;
  if (value?.kind === 'hvac') {
    if (value.mode === 'heat') out.heat_c = value.setpointC;
    if (value.mode === 'cool') out.cool_c = value.setpointC;
    if (value.mode === 'auto') {
      out.heat_c = value.heatSetpointC;
      out.cool_c = value.coolSetpointC;
    }
  }
  return out;
}

const kWh = (v: number | undefined): number | null => (v === undefined ? null : Math.round(v * 1000) / 1000);

export function spaceStatePayload(s: SpaceHaState): string {
  const setpoints: Record<string, Partial<SetpointState>> = {};
  for (const d of s.devices) setpoints[d.id] = setpointState(d.kind, d.value);
  return JSON.stringify({
    energy_kwh: kWh(s.energyKWh),
    saved_kwh: kWh(s.savedKWh),
    mode: s.mode,
    alerts: [...s.alerts],
    setpoints,
  });
}

export function serviceStatePayload(released: boolean): string {
  return JSON.stringify({ released });
}
