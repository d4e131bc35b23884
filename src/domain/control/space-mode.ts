/** off: QuietWatt leaves the space alone; shadow: it plans and logs only; active: it commands. */
export const SPACE_MODES = ['off', 'shadow', 'active'] as const;
export type SpaceMode = (typeof SPACE_MODES)[number];

/** The config's modes: entries per space (optionally per site) over a default. */
export interface SpaceModeRules {
  readonly spaces: readonly {
    readonly space: string;
    readonly site?: string | undefined;
    readonly mode: SpaceMode;
  }[];
  readonly defaultMode: SpaceMode;
}

/** Mode of one space: the first matching entry, else the default. */
export function spaceModeOf(control: SpaceModeRules, siteId: string, spaceId: string): SpaceMode {
  const entry = control.spaces.find(
    (e) => e.space === spaceId && (e.site === undefined || e.site === siteId),
  );
  return entry?.mode ?? control.defaultMode;
}
