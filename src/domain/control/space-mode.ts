import type { ControlConfig } from '../../config/schema/control.js';

/** off: QuietWatt leaves the space alone; shadow: it plans and logs only; active: it commands. */
export const SPACE_MODES = ['off', 'shadow', 'active'] as const;
export type SpaceMode = (typeof SPACE_MODES)[number];

/** Mode of one space: the first matching entry, else the default. */
export function spaceModeOf(
  control: Pick<ControlConfig, 'spaces' | 'defaultMode'>,
  siteId: string,
  spaceId: string,
): SpaceMode {
  const entry = control.spaces.find(
    (e) => e.space === spaceId && (e.site === undefined || e.site === siteId),
  );
  return entry?.mode ?? control.defaultMode;
}
