import type { CommandEnvelope } from '../../../domain/commands/envelope.js';
import { SPACE_MODES } from '../../../domain/control/space-mode.js';
import { parseHaCommandTopic } from '../../../domain/home-assistant/topics.js';

/** Who Home Assistant's commands are recorded as (the command log, the API's command list). */
export const HA_ISSUER = 'home-assistant';

/** The button's documented default `payload_press`, which the discovery config also sets. */
export const PRESS = 'PRESS';

export type HaCommandResult =
  | { readonly ok: true; readonly command: CommandEnvelope }
  | { readonly ok: false; readonly error: string }
  /** Another instance's button: not refused, not this instance's to act on. */
  | { readonly ok: false; readonly elsewhere: string };

/**
 * The command envelope a message on a Home Assistant command topic stands for: the select sends a
 * mode, a button sends `PRESS`. Anything else is refused with a reason (logged; nobody waits). With
 * several instances on one prefix, each instance's buttons have their own topics
 * (`instanceId`); a press of another's is left to it.
 */
export function haCommand(
  prefix: string,
  topic: string,
  payload: string,
  id: string,
  nowMs: number,
  instanceId?: string,
): HaCommandResult {
  const parsed = parseHaCommandTopic(prefix, topic);
  if (parsed === undefined) return { ok: false, error: `not a Home Assistant command topic: ${topic}` };
  if (parsed.kind === 'service' && parsed.instanceId !== instanceId)
    return parsed.instanceId === undefined
      ? { ok: false, error: `${topic} is a single instance's button; this is instance ${instanceId}` }
      : { ok: false, elsewhere: `instance ${parsed.instanceId}'s button` };
  const envelope = { id, issuer: HA_ISSUER, issuedAt: new Date(nowMs).toISOString() };
  if (parsed.kind === 'mode') {
    const mode = SPACE_MODES.find((m) => m === payload);
    if (mode === undefined)
      return { ok: false, error: `mode "${payload}" is not one of ${SPACE_MODES.join(', ')}` };
    return {
      ok: true,
      command: {
        ...envelope,
        action: 'set-mode',
        target: { siteId: parsed.siteId, spaceId: parsed.spaceId },
        mode,
      },
    };
  }
  if (payload !== PRESS) return { ok: false, error: `button payload "${payload}" is not ${PRESS}` };
  return { ok: true, command: { ...envelope, action: parsed.action, target: {} } };
}
