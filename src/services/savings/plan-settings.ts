/**
 * The hash of the settings that shape a site's plans: the control section without the per-space
 * modes (going active or back to shadow is not a new treatment) and the site's schedules. A new
 * hash means the planner now does something else, so a new verification period starts.
 */
import { createHash } from 'node:crypto';
import type { ControlConfig } from '../../config/schema/control.js';

/** Stable JSON: object keys sorted, so the same settings always hash the same. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

export function planSettingsHash(control: ControlConfig, schedules: unknown): string {
  const { spaces: _modes, defaultMode: _defaultMode, ...shaping } = control;
  const text = JSON.stringify(canonical({ control: shaping, schedules }));
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}
