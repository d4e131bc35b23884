import { z } from 'zod';

/** Version of the setpoint contract carried in every payload. */
export const CONTRACT_VERSION = 1 as const;

export const HVAC_MODES = ['off', 'cool', 'heat', 'fan', 'auto'] as const;
export type HvacMode = (typeof HVAC_MODES)[number];
export const FAN_SPEEDS = ['auto', 'low', 'medium', 'high'] as const;
export type FanSpeed = (typeof FAN_SPEEDS)[number];

const SetpointC = z.number().min(5).max(35);
const Fan = z.enum(FAN_SPEEDS).optional();
const IsoTime = z.iso.datetime({ offset: true });
const Ident = z.string().min(1).max(128);

export const LightingValue = z.object({ levelPct: z.number().min(0).max(100) }).strict();
export type LightingValue = z.infer<typeof LightingValue>;

export const HvacValue = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('off') }).strict(),
  z.object({ mode: z.literal('cool'), setpointC: SetpointC, fan: Fan }).strict(),
  z.object({ mode: z.literal('heat'), setpointC: SetpointC, fan: Fan }).strict(),
  z.object({ mode: z.literal('fan'), fan: Fan }).strict(),
  z
    .object({ mode: z.literal('auto'), heatSetpointC: SetpointC, coolSetpointC: SetpointC, fan: Fan })
    .strict()
    .refine((v) => v.heatSetpointC < v.coolSetpointC, {
      message: 'heatSetpointC must be below coolSetpointC',
      path: ['heatSetpointC'],
    }),
]);
export type HvacValue = z.infer<typeof HvacValue>;

/** A commanded value, tagged by device kind. */
export type SetpointValue =
  | ({ readonly kind: 'lighting' } & LightingValue)
  | ({ readonly kind: 'hvac' } & HvacValue);

const Envelope = {
  contract: z.literal(CONTRACT_VERSION),
  id: Ident.meta({ description: 'Unique setpoint id; echoed by the controller as acknowledgement' }),
  site: Ident,
  space: Ident,
  device: Ident,
  issuedAt: IsoTime,
  validUntil: IsoTime.meta({ description: 'After this instant the controller returns to its own schedule' }),
  planId: Ident,
  reason: z.string().max(200).meta({ description: 'Short human-readable reason' }),
};

/** The native setpoint payload published (retained, QoS 1) on `<prefix>/<site>/<space>/<device>/set`. */
export const SetpointPayload = z
  .discriminatedUnion('kind', [
    z.object({ ...Envelope, kind: z.literal('lighting'), value: LightingValue }).strict(),
    z.object({ ...Envelope, kind: z.literal('hvac'), value: HvacValue }).strict(),
  ])
  .refine((p) => Date.parse(p.validUntil) > Date.parse(p.issuedAt), {
    message: 'validUntil must be after issuedAt',
    path: ['validUntil'],
  });
export type SetpointPayload = z.infer<typeof SetpointPayload>;

/** What a controller reports on `<prefix>/<site>/<space>/<device>/state`. */
export const StateReport = z
  .object({
    contract: z.literal(CONTRACT_VERSION).optional(),
    ts: IsoTime.optional().meta({ description: 'When the controller measured this state' }),
    value: z.union([LightingValue, HvacValue]).optional().meta({ description: 'Current value' }),
    appliedSetpointId: Ident.nullable()
      .default(null)
      .meta({ description: 'Id of the setpoint in force (acknowledgement); null when on its own schedule' }),
    override: z
      .boolean()
      .default(false)
      .meta({ description: 'true while a person on site has taken manual control' }),
  })
  .strict();
export type StateReport = z.infer<typeof StateReport>;

export const AVAILABILITY = ['online', 'offline'] as const;
export const Availability = z.enum(AVAILABILITY);
export type Availability = z.infer<typeof Availability>;

export interface DeviceAddress {
  readonly site: string;
  readonly space: string;
  readonly device: string;
}

/** Default command topic of a native device. */
export function setTopic(prefix: string, a: DeviceAddress): string {
  return `${prefix}/${a.site}/${a.space}/${a.device}/set`;
}

/** Default state topic of a native device. */
export function stateTopic(prefix: string, a: DeviceAddress): string {
  return `${prefix}/${a.site}/${a.space}/${a.device}/state`;
}

/** The service's availability topic (retained `online`; last will `offline`). */
export function statusTopic(prefix: string): string {
  return `${prefix}/status`;
}

/** One instance's availability topic: `<prefix>/status` alone, `<prefix>/status/<id>` among several. */
export function instanceStatusTopic(prefix: string, instanceId: string | undefined): string {
  return instanceId === undefined ? statusTopic(prefix) : `${statusTopic(prefix)}/${instanceId}`;
}
