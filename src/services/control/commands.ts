import { z } from 'zod';

/**
 * Operator commands over MQTT. `quietwatt release` publishes on the release topic; the running
 * service acts on it at once. Both topics are documented in docs/mqtt-contract.md.
 */
export function releaseCommandTopic(prefix: string): string {
  return `${prefix}/command/release`;
}

export function commissionCommandTopic(prefix: string): string {
  return `${prefix}/command/commission`;
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

export function releaseCommandPayload(release: boolean, nowMs: number, by: string): string {
  const body: ReleaseCommand = { release, issuedAt: new Date(nowMs).toISOString(), by };
  return JSON.stringify(body);
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
