/**
 * How long each kind of operational record is kept, and the floors other features set under those
 * lengths. Pure: the retention job turns a policy and "now" into cutoffs, the store deletes by them.
 *
 * Never pruned, whatever the configuration: 15-minute and hourly intervals (what baselines are fitted
 * on, before a space first went active, and what the nightly refits read, up to a year), the
 * 15-minute sensor aggregates (indoor temperature, occupancy and outdoor temperature for those fits and
 * the comfort view) and the savings ledger.
 */

const DAY_MS = 86_400_000;

/** Retention lengths, as the `storage` section of the config gives them. */
export interface RetentionPolicy {
  /** Raw meter readings, days. */
  readonly rawRetentionDays: number;
  /** Raw sensor samples, days (their 15-minute aggregates stay). */
  readonly sensorSampleRetentionDays: number;
  /** Setpoint audit log, days. */
  readonly auditRetentionDays: number;
  /** Cleared alerts, days after clearing (open alerts stay). */
  readonly alertRetentionDays: number;
  /** Operator command log, days. */
  readonly commandRetentionDays: number;
  /** Newest versions kept of each model (site, space, end use, kind). */
  readonly modelVersionsKept: number;
}

/** A floor under one retention length and the feature that needs it, for error messages. */
export interface RetentionFloor {
  readonly min: number;
  readonly why: string;
}

/**
 * The least each length may be. Ingest accepts a reading up to 7 days late; thermal learning fits a
 * space's rates on its last 14 days of indoor temperature and what its HVAC was told.
 */
export const RETENTION_FLOORS: { readonly [K in keyof RetentionPolicy]: RetentionFloor } = {
  rawRetentionDays: {
    min: 7,
    why: 'ingest accepts readings up to 7 days late and must still recognise a redelivered one',
  },
  sensorSampleRetentionDays: {
    min: 14,
    why: 'thermal learning identifies a space from its last 14 days of indoor temperature',
  },
  auditRetentionDays: {
    min: 14,
    why: 'thermal learning identifies a space from its last 14 days of HVAC setpoints',
  },
  alertRetentionDays: { min: 7, why: 'operators review a week of cleared alerts' },
  commandRetentionDays: { min: 7, why: 'operators review a week of commands' },
  modelVersionsKept: { min: 2, why: 'a refit is compared with the version before it' },
};

/**
 * Each device's newest decisions are kept whatever their age: a restarted service finds the setpoint
 * still in force in the device's latest entry or the published one shortly before it (2 days back).
 */
export const AUDIT_DEVICE_TAIL_MS = 2 * DAY_MS;

/** What may be deleted now; every `...BeforeMs` is exclusive. */
export interface PruneCutoffs {
  readonly readingsBeforeMs: number;
  readonly sensorSamplesBeforeMs: number;
  readonly auditBeforeMs: number;
  readonly auditDeviceTailMs: number;
  readonly alertsClearedBeforeMs: number;
  readonly commandsBeforeMs: number;
  readonly modelVersionsKept: number;
}

/** The policy with every length raised to its floor (a config that bypassed the schema stays safe). */
export function withFloors(policy: RetentionPolicy): RetentionPolicy {
  const floor = <K extends keyof RetentionPolicy>(key: K): number =>
    Math.max(policy[key], RETENTION_FLOORS[key].min);
  return {
    rawRetentionDays: floor('rawRetentionDays'),
    sensorSampleRetentionDays: floor('sensorSampleRetentionDays'),
    auditRetentionDays: floor('auditRetentionDays'),
    alertRetentionDays: floor('alertRetentionDays'),
    commandRetentionDays: floor('commandRetentionDays'),
    modelVersionsKept: Math.floor(floor('modelVersionsKept')),
  };
}

export function pruneCutoffs(policy: RetentionPolicy, nowMs: number): PruneCutoffs {
  const p = withFloors(policy);
  const before = (days: number) => nowMs - days * DAY_MS;
  return {
    readingsBeforeMs: before(p.rawRetentionDays),
    sensorSamplesBeforeMs: before(p.sensorSampleRetentionDays),
    auditBeforeMs: before(p.auditRetentionDays),
    auditDeviceTailMs: AUDIT_DEVICE_TAIL_MS,
    alertsClearedBeforeMs: before(p.alertRetentionDays),
    commandsBeforeMs: before(p.commandRetentionDays),
    modelVersionsKept: p.modelVersionsKept,
  };
}
