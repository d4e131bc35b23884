/**
 * One command model for every way an operator acts on the service: the HTTP API, the MQTT command
 * topics and the CLI all build a CommandEnvelope and get a CommandResponse back. Later work (signed
 * MQTT commands, Home Assistant buttons) extends the envelope, not a second model.
 */
import { z } from 'zod';
import { SPACE_MODES } from '../control/space-mode.js';

/**
 * set-mode: an operator's mode for a space, which wins over the config file's until reset-mode;
 * reset-mode: the config file's mode applies again; commission: run the commissioning check;
 * release / resume: hand every device back (and take control again); clear-override: end a
 * person's manual override hold early.
 */
export const COMMAND_ACTIONS = [
  'set-mode',
  'reset-mode',
  'commission',
  'release',
  'resume',
  'clear-override',
] as const;
export type CommandAction = (typeof COMMAND_ACTIONS)[number];

/** What a command acts on; every field optional (no field = the whole service or every device). */
export const CommandTarget = z
  .object({
    siteId: z.string().min(1).optional().meta({ description: 'Site (community) id' }),
    spaceId: z.string().min(1).optional().meta({ description: 'Space id within the site' }),
    deviceId: z.string().min(1).optional().meta({ description: 'Device id within the space' }),
  })
  .strict();
export type CommandTarget = z.infer<typeof CommandTarget>;

/** Whether a target names nothing: the whole service, every device (every instance's, among several). */
export function targetNamesNothing(target: CommandTarget): boolean {
  return target.siteId === undefined && target.spaceId === undefined && target.deviceId === undefined;
}

export const CommandEnvelope = z
  .object({
    id: z.string().min(1).max(100).meta({ description: 'Unique command id, echoed by the response' }),
    action: z.enum(COMMAND_ACTIONS).meta({ description: 'What to do' }),
    target: CommandTarget.default({}),
    /** For `set-mode`: the space mode to set. */
    mode: z.enum(SPACE_MODES).optional().meta({ description: 'set-mode only: off, shadow or active' }),
    issuer: z.string().min(1).max(200).meta({ description: 'Who sent it: a token name, `cli`, `mqtt`' }),
    issuedAt: z.iso.datetime({ offset: true }).meta({ description: 'When it was issued (ISO 8601)' }),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.action === 'set-mode' && c.mode === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['mode'],
        message: 'set-mode needs a mode (off, shadow, active)',
      });
    if (
      (c.action === 'set-mode' || c.action === 'reset-mode') &&
      (c.target.siteId === undefined || c.target.spaceId === undefined)
    )
      ctx.addIssue({
        code: 'custom',
        path: ['target'],
        message: `${c.action} needs target.siteId and target.spaceId`,
      });
    if (c.action === 'clear-override' && c.target.deviceId !== undefined && c.target.spaceId === undefined)
      ctx.addIssue({ code: 'custom', path: ['target'], message: 'a deviceId needs its spaceId' });
  });
export type CommandEnvelope = z.infer<typeof CommandEnvelope>;

export const COMMAND_STATUSES = ['accepted', 'done', 'refused'] as const;
export type CommandStatus = (typeof COMMAND_STATUSES)[number];

export const CommandResponse = z
  .object({
    commandId: z.string().meta({ description: 'The id of the command this answers' }),
    action: z.enum(COMMAND_ACTIONS),
    status: z
      .enum(COMMAND_STATUSES)
      .meta({ description: 'accepted: taken, still running; done: carried out; refused: not carried out' }),
    reason: z.string().optional().meta({ description: 'Why it was refused, or what is still running' }),
    /** What the command did, in words per device or space (e.g. commissioning results). */
    details: z.array(z.string()).default([]),
    at: z.iso.datetime({ offset: true }).meta({ description: 'When the service answered' }),
    instance: z.string().min(1).optional().meta({
      description:
        'The instance that answered (`instance.id`), where several share a broker: a command naming no site is answered by each',
    }),
  })
  .strict();
export type CommandResponse = z.infer<typeof CommandResponse>;

export function refused(
  cmd: Pick<CommandEnvelope, 'id' | 'action'>,
  reason: string,
  atMs: number,
): CommandResponse {
  return {
    commandId: cmd.id,
    action: cmd.action,
    status: 'refused',
    reason,
    details: [],
    at: new Date(atMs).toISOString(),
  };
}

export function done(
  cmd: Pick<CommandEnvelope, 'id' | 'action'>,
  atMs: number,
  details: readonly string[] = [],
): CommandResponse {
  return {
    commandId: cmd.id,
    action: cmd.action,
    status: 'done',
    details: [...details],
    at: new Date(atMs).toISOString(),
  };
}
