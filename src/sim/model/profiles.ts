import type { SpaceType } from '../../domain/energy.js';

/** A Gaussian bump of arrivals centred on a local hour. */
export interface Bump {
  readonly atHour: number;
  readonly sdHours: number;
  /** Arrivals per hour at the peak of the bump, for a space of the type's reference area. */
  readonly perHour: number;
}

/** Arrival pattern of one day type: a base rate inside opening hours, plus bumps. */
export interface DayPattern {
  readonly openFrom: number;
  readonly openTo: number;
  /** Arrivals per hour inside opening hours. */
  readonly basePerHour: number;
  /** Arrivals per hour outside them. */
  readonly nightPerHour: number;
  readonly bumps: readonly Bump[];
}

/** Everything the simulator assumes about a type of space; plain data so config can override it later. */
export interface SpaceTypeParams {
  /** Area the arrival rates are given for; rates scale with area / referenceAreaM2. */
  readonly referenceAreaM2: number;
  readonly workday: DayPattern;
  readonly restday: DayPattern;
  /** Mean time a person stays, minutes. */
  readonly dwellMinutes: number;
  /** Heat loss incl. infiltration and ventilation, W/K per m² of floor. */
  readonly uaWPerKM2: number;
  /** Effective heat capacity, J/K per m² of floor (air, furnishings, part of the structure). */
  readonly capacityJPerKM2: number;
  /** Share of the heat loss going to the ground instead of outdoor air (underground spaces). */
  readonly groundShare: number;
  /** Share of the heat loss going to the rest of the building (flats around an inner corridor). */
  readonly interiorShare: number;
  /** Effective solar aperture (glazing area x g-value), m² per m² of floor. */
  readonly solarApertureM2PerM2: number;
  /** Sensible heat per occupant, W. */
  readonly occupantGainW: number;
  /** Illuminance with all lighting at 100 %, lx. */
  readonly designLux: number;
  /** Indoor illuminance as a share of outdoor horizontal illuminance. */
  readonly daylightFactor: number;
  /** Always-on plug load (access control, displays, barrier gates), W per m². */
  readonly plugBaseWPerM2: number;
  /** Plug load per occupant (gym machines, kettles), W. */
  readonly plugPerOccupantW: number;
}

const p = (atHour: number, sdHours: number, perHour: number): Bump => ({ atHour, sdHours, perHour });

/**
 * Defaults for a mid-size Chinese residential community (about 300 households). Arrival peaks
 * follow commuting hours (07:00-09:00, 17:30-20:00), gyms fill on weekday evenings and weekend
 * mornings, clubhouses in afternoons and at weekends. Full-output lux is GB 50034-2013's target for
 * residential common areas with a maintenance margin of about 1.2; thermal figures are those of light commercial construction.
 */
export const SPACE_TYPE_PARAMS: Record<SpaceType, SpaceTypeParams> = {
  lobby: {
    referenceAreaM2: 150,
    workday: {
      openFrom: 6,
      openTo: 23,
      basePerHour: 12,
      nightPerHour: 1,
      bumps: [p(7.8, 0.7, 60), p(12, 1.5, 12), p(18.6, 1.2, 55)],
    },
    restday: {
      openFrom: 7,
      openTo: 23.5,
      basePerHour: 14,
      nightPerHour: 1.5,
      bumps: [p(10.5, 2, 25), p(16.5, 2.5, 25)],
    },
    dwellMinutes: 1.5,
    uaWPerKM2: 4,
    capacityJPerKM2: 90_000,
    groundShare: 0,
    interiorShare: 0.2,
    solarApertureM2PerM2: 0.03,
    occupantGainW: 90,
    designLux: 120,
    daylightFactor: 0.01,
    plugBaseWPerM2: 1,
    plugPerOccupantW: 0,
  },
  corridor: {
    referenceAreaM2: 60,
    workday: {
      openFrom: 6.5,
      openTo: 23,
      basePerHour: 1.5,
      nightPerHour: 0.1,
      bumps: [p(7.9, 0.7, 4), p(19, 1.5, 5)],
    },
    restday: {
      openFrom: 7.5,
      openTo: 23.5,
      basePerHour: 2,
      nightPerHour: 0.15,
      bumps: [p(11, 2.5, 3), p(18, 2, 4)],
    },
    dwellMinutes: 0.5,
    uaWPerKM2: 2,
    capacityJPerKM2: 90_000,
    groundShare: 0,
    interiorShare: 0.6,
    solarApertureM2PerM2: 0.003,
    occupantGainW: 90,
    designLux: 60,
    daylightFactor: 0.002,
    plugBaseWPerM2: 0.1,
    plugPerOccupantW: 0,
  },
  'elevator-hall': {
    referenceAreaM2: 40,
    workday: {
      openFrom: 6,
      openTo: 23,
      basePerHour: 8,
      nightPerHour: 0.7,
      bumps: [p(7.8, 0.7, 40), p(18.6, 1.2, 38)],
    },
    restday: {
      openFrom: 7,
      openTo: 23.5,
      basePerHour: 10,
      nightPerHour: 1,
      bumps: [p(10.5, 2, 18), p(16.5, 2.5, 18)],
    },
    dwellMinutes: 1,
    uaWPerKM2: 2,
    capacityJPerKM2: 90_000,
    groundShare: 0,
    interiorShare: 0.5,
    solarApertureM2PerM2: 0.003,
    occupantGainW: 90,
    designLux: 90,
    daylightFactor: 0.002,
    plugBaseWPerM2: 0.3,
    plugPerOccupantW: 0,
  },
  garage: {
    referenceAreaM2: 3000,
    workday: {
      openFrom: 6,
      openTo: 23.5,
      basePerHour: 8,
      nightPerHour: 1,
      bumps: [p(7.7, 0.8, 80), p(18.3, 1.2, 70)],
    },
    restday: {
      openFrom: 7,
      openTo: 23.5,
      basePerHour: 10,
      nightPerHour: 1,
      bumps: [p(10.5, 2, 35), p(17, 2, 35)],
    },
    dwellMinutes: 3,
    uaWPerKM2: 1,
    capacityJPerKM2: 150_000,
    groundShare: 0.7,
    interiorShare: 0,
    solarApertureM2PerM2: 0,
    occupantGainW: 90,
    designLux: 35,
    daylightFactor: 0.0003,
    plugBaseWPerM2: 0.2,
    plugPerOccupantW: 0,
  },
  gym: {
    referenceAreaM2: 200,
    workday: {
      openFrom: 6,
      openTo: 22,
      basePerHour: 1,
      nightPerHour: 0,
      bumps: [p(6.8, 0.6, 3), p(19.8, 1.2, 10)],
    },
    restday: {
      openFrom: 7,
      openTo: 22,
      basePerHour: 1.5,
      nightPerHour: 0,
      bumps: [p(9.8, 1.3, 9), p(16.5, 2, 6), p(20, 1.2, 4)],
    },
    dwellMinutes: 50,
    uaWPerKM2: 3,
    capacityJPerKM2: 110_000,
    groundShare: 0,
    interiorShare: 0.2,
    solarApertureM2PerM2: 0.025,
    occupantGainW: 200,
    designLux: 250,
    daylightFactor: 0.01,
    plugBaseWPerM2: 1.5,
    plugPerOccupantW: 150,
  },
  clubhouse: {
    referenceAreaM2: 300,
    workday: {
      openFrom: 9,
      openTo: 21,
      basePerHour: 1,
      nightPerHour: 0,
      bumps: [p(15.5, 2, 6), p(19.8, 1.2, 4)],
    },
    restday: {
      openFrom: 9,
      openTo: 21.5,
      basePerHour: 2,
      nightPerHour: 0,
      bumps: [p(10.5, 1.5, 8), p(15.5, 2.2, 14), p(19.5, 1.5, 6)],
    },
    dwellMinutes: 60,
    uaWPerKM2: 3,
    capacityJPerKM2: 110_000,
    groundShare: 0,
    interiorShare: 0.2,
    solarApertureM2PerM2: 0.03,
    occupantGainW: 90,
    designLux: 250,
    daylightFactor: 0.015,
    plugBaseWPerM2: 1,
    plugPerOccupantW: 30,
  },
  stairwell: {
    referenceAreaM2: 30,
    workday: {
      openFrom: 6.5,
      openTo: 23,
      basePerHour: 0.5,
      nightPerHour: 0.05,
      bumps: [p(8, 1, 2), p(18.5, 1.5, 2)],
    },
    restday: { openFrom: 7.5, openTo: 23, basePerHour: 0.7, nightPerHour: 0.05, bumps: [p(11, 2.5, 1.5)] },
    dwellMinutes: 0.7,
    uaWPerKM2: 1.5,
    capacityJPerKM2: 120_000,
    groundShare: 0,
    interiorShare: 0.5,
    solarApertureM2PerM2: 0.008,
    occupantGainW: 90,
    designLux: 60,
    daylightFactor: 0.005,
    plugBaseWPerM2: 0.05,
    plugPerOccupantW: 0,
  },
  other: {
    referenceAreaM2: 100,
    workday: { openFrom: 7, openTo: 22, basePerHour: 3, nightPerHour: 0.2, bumps: [] },
    restday: { openFrom: 8, openTo: 22, basePerHour: 3, nightPerHour: 0.2, bumps: [] },
    dwellMinutes: 10,
    uaWPerKM2: 2.5,
    capacityJPerKM2: 100_000,
    groundShare: 0,
    interiorShare: 0.3,
    solarApertureM2PerM2: 0.015,
    occupantGainW: 90,
    designLux: 100,
    daylightFactor: 0.005,
    plugBaseWPerM2: 0.5,
    plugPerOccupantW: 0,
  },
};
