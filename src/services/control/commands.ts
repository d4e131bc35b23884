import { z } from 'zod';
import { CommandEnvelope } from '../../domain/commands/envelope.js';

/**
 * Operator commands over MQTT. A command is a CommandEnvelope JSON; the service answers each on
 * `<prefix>/command/response/<id>`. The release and commission topics also take the older
 * payloads below, for compatibility. Every topic is documented in docs/mqtt-contract.md.
 */
export function releaseCommandTopic(prefix: string): string {
  return `${prefix}/command/release`;
}

export function commissionCommandTopic(prefix: string): string {
  return `${prefix}/command/commission`;
}

/** Any action, as a CommandEnvelope. */
export function commandTopic(prefix: string): string {
  return `${prefix}/command`;
}

/** Where the answer to command `id` is published (the id percent-encoded, so `/`, `+`, `#` stay out of the topic). */
export function commandResponseTopic(prefix: string, id: string): string {
  return `${prefix}/command/response/${encodeURIComponent(id)}`;
}

export type CommandTopicKind = 'any' | 'release' | 'commission';

/** Which actions an envelope may carry on each topic. */
const TOPIC_ACTIONS: Record<CommandTopicKind, readonly string[] | undefined> = {
  any: undefined,
  release: ['release', 'resume'],
  commission: ['commission'],
};

export type ParsedCommand =
  | { readonly ok: true; readonly command: CommandEnvelope }
  | { readonly ok: false; readonly error: string; readonly id?: string; readonly action?: string };

function issueText(error: z.ZodError): string {
  return error.issues
    .map((i) => `${i.path.length > 0 ? i.path.join('.') : 'command'}: ${i.message}`)
    .join('; ');
}

/**
 * Reads a command message: a CommandEnvelope (an object with `action`), or on the release and
 * commission topics the older payloads, turned into an envelope with a generated id.
 */
export function parseCommandMessage(kind: CommandTopicKind, payload: string, nowMs: number): ParsedCommand {
  const text = payload.trim();
  let json: unknown;
  if (text.startsWith('{')) {
    try {
      json = JSON.parse(text);
    } catch (error) {
      return {
        ok: false,
        error: `not valid JSON (${error instanceof Error ? error.message : String(error)})`,
      };
    }
  }
  const issuedAt = new Date(nowMs).toISOString();
  const generatedId = `mqtt-${nowMs.toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  if (json !== null && typeof json === 'object' && 'action' in json) {
    const raw = json as { id?: unknown; action?: unknown };
    const id = typeof raw.id === 'string' ? raw.id : undefined;
    const action = typeof raw.action === 'string' ? raw.action : undefined;
    const parsed = CommandEnvelope.safeParse(json);
    if (!parsed.success)
      return {
        ok: false,
        error: issueText(parsed.error),
        ...(id ? { id } : {}),
        ...(action ? { action } : {}),
      };
    const allowed = TOPIC_ACTIONS[kind];
    if (allowed && !allowed.includes(parsed.data.action))
      return {
        ok: false,
        id: parsed.data.id,
        action: parsed.data.action,
        error: `action "${parsed.data.action}" does not belong on the ${kind} topic (use ${allowed.join(' or ')}, or <prefix>/command)`,
      };
    return { ok: true, command: parsed.data };
  }
  if (kind === 'release') {
    const released = parseReleaseCommand(text);
    if (released === undefined) return { ok: false, error: 'not a command envelope nor a release payload' };
    const by = json !== undefined ? ReleaseCommand.safeParse(json).data?.by : undefined;
    return {
      ok: true,
      command: {
        id: generatedId,
        action: released ? 'release' : 'resume',
        target: {},
        issuer: by ?? 'mqtt',
        issuedAt,
      },
    };
  }
  if (kind === 'commission') {
    const req = parseCommissionCommand(text);
    if (!req) return { ok: false, error: 'not a command envelope nor a commission request' };
    const target = {
      ...(req.site === undefined ? {} : { siteId: req.site }),
      ...(req.space === undefined ? {} : { spaceId: req.space }),
      ...(req.device === undefined ? {} : { deviceId: req.device }),
    };
    return { ok: true, command: { id: generatedId, action: 'commission', target, issuer: 'mqtt', issuedAt } };
  }
  return { ok: false, error: 'not a command envelope (an object with id, action, target, issuer, issuedAt)' };
}

export const ReleaseCommand = z
  .object({
    release: z
      .boolean()
      .meta({ description: 'true: hand every device back and stay back; false: resume control' }),
    issuedAt: z.iso.datetime({ offset: true }).optional(),
    by: z.string().max(200).optional().meta({ description: 'Who or what sent it' }),
  })
  .strict();
export type ReleaseCommand = z.infer<typeof ReleaseCommand>;

const RELEASE_WORDS = new Set(['release', 'on', 'true', '1']);
const RESUME_WORDS = new Set(['resume', 'off', 'false', '0', '']);

/**
 * Whether a release-topic message means "released": a ReleaseCommand JSON object, or a plain word
 * (release/on/true/1, resume/off/false/0; an empty retained message clears a release). Undefined
 * when unreadable (the release state is left as it is).
 */
export function parseReleaseCommand(payload: string): boolean | undefined {
  const text = payload.trim();
  if (text.startsWith('{')) {
    try {
      const parsed = ReleaseCommand.safeParse(JSON.parse(text));
      return parsed.success ? parsed.data.release : undefined;
    } catch {
      return undefined;
    }
  }
  const word = text.toLowerCase();
  if (RELEASE_WORDS.has(word)) return true;
  if (RESUME_WORDS.has(word)) return false;
  return undefined;
}

export const CommissionCommand = z
  .object({
    site: z.string().min(1).optional(),
    space: z.string().min(1).optional(),
    device: z.string().min(1).optional(),
  })
  .strict();
export type CommissionCommand = z.infer<typeof CommissionCommand>;

/** A commission request: which devices (all fields optional; `{}` or empty = every device not yet passed). */
export function parseCommissionCommand(payload: string): CommissionCommand | undefined {
  const text = payload.trim();
  if (text === '') return {};
  try {
    const parsed = CommissionCommand.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** The older release payload (still accepted on the release topic). */
export function releaseCommandPayload(release: boolean, nowMs: number, by: string): string {
  const body: ReleaseCommand = { release, issuedAt: new Date(nowMs).toISOString(), by };
  return JSON.stringify(body);
}
