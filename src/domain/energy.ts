/** What a meter measures: the whole space, or one end use within it. */
export const END_USES = ['total', 'lighting', 'hvac', 'plug'] as const;
export type EndUse = (typeof END_USES)[number];

export const SPACE_TYPES = [
  'lobby',
  'corridor',
  'elevator-hall',
  'garage',
  'gym',
  'clubhouse',
  'stairwell',
  'other',
] as const;
export type SpaceType = (typeof SPACE_TYPES)[number];

/** Interval lengths that readings are apportioned into. */
export const INTERVAL_MINUTES = [15, 60] as const;
export type IntervalMinutes = (typeof INTERVAL_MINUTES)[number];
