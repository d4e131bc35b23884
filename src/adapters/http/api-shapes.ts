import { z } from 'zod';

/**
 * The parts of the /api/v1 answers that the report page and `quietwatt status` read
 * (docs/http-api.md). Parsed, not trusted: a change of the API fails here with the field named
 * instead of printing `undefined`.
 */
export const SavingsFigureJson = z.object({
  periodStart: z.string(),
  periodEnd: z.string(),
  siteId: z.string(),
  spaceId: z.string().nullable(),
  endUse: z.string().nullable(),
  kind: z.enum(['measured', 'estimated']),
  method: z.string(),
  hours: z.number(),
  baselineKWh: z.number(),
  actualKWh: z.number(),
  avoidedKWh: z.number(),
  avoidedShare: z.number(),
  cost: z.number(),
  currency: z.string(),
  co2Kg: z.number(),
  interval: z
    .object({ lowKWh: z.number(), highKWh: z.number(), confidence: z.number(), method: z.string() })
    .nullable(),
  provisional: z.boolean(),
  provenance: z.array(z.string()),
  nonRoutine: z.array(z.string()),
});
export type SavingsFigureJson = z.infer<typeof SavingsFigureJson>;

export const SavingsJson = z.object({ figures: z.array(SavingsFigureJson) });

export const SiteJson = z.object({
  id: z.string(),
  name: z.string(),
  timeZone: z.string(),
  currency: z.string().optional(),
  spaces: z.array(
    z.object({
      spaceId: z.string(),
      name: z.string().nullish(),
      type: z.string(),
      mode: z.string(),
      modeSource: z.string().optional(),
    }),
  ),
});
export type SiteJson = z.infer<typeof SiteJson>;

export const ComfortJson = z.object({
  kpis: z.array(
    z.object({
      siteId: z.string(),
      spaceId: z.string(),
      discomfortKh: z.number(),
      underLitOccupiedHours: z.number(),
      occupiedHours: z.number(),
    }),
  ),
});
export type ComfortKpiJson = z.infer<typeof ComfortJson>['kpis'][number];

export const AlertsJson = z.object({
  alerts: z.array(
    z.object({
      kind: z.string(),
      siteId: z.string().nullable(),
      spaceId: z.string().nullable(),
      severity: z.string(),
      message: z.string(),
      since: z.string(),
      clearedAt: z.string().nullable(),
    }),
  ),
});
export type AlertJson = z.infer<typeof AlertsJson>['alerts'][number];

const EmissionFactorJson = z.object({
  id: z.string(),
  region: z.string(),
  kgCo2PerKWh: z.number(),
  year: z.number(),
  source: z.string(),
});
export type EmissionFactorJson = z.infer<typeof EmissionFactorJson>;

export const ConfigJson = z.object({
  config: z.object({
    sites: z.array(z.object({ id: z.string(), meterReadingDay: z.number().int().min(1).max(28).optional() })),
    tariffs: z
      .object({
        emissionFactors: z.array(EmissionFactorJson).default([]),
        defaultEmissionFactor: z.string().optional(),
        siteEmissionFactors: z.record(z.string(), z.string()).default({}),
      })
      .optional(),
  }),
});
export type ConfigJson = z.infer<typeof ConfigJson>;

/**
 * The operator command log (GET /api/v1/commands, newest first); an API without the route is
 * skipped. Service-wide commands (release, resume) have no target site.
 */
export const CommandsJson = z.object({
  commands: z.array(
    z.object({
      id: z.number(),
      action: z.string(),
      target: z.object({
        siteId: z.string().nullish(),
        spaceId: z.string().nullish(),
        deviceId: z.string().nullish(),
      }),
      mode: z.string().nullish(),
      issuer: z.string(),
      status: z.string(),
      reason: z.string().nullish(),
      details: z.array(z.string()).default([]),
      receivedAt: z.string(),
    }),
  ),
  nextCursor: z.number().nullable(),
});
export type CommandJson = z.infer<typeof CommandsJson>['commands'][number];
