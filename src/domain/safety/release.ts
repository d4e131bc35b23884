import type { ControlConfig } from '../../config/schema/control.js';

/**
 * Whether a message on the fire-alarm input means "alarm active". Anything not listed in
 * `control.fireAlarm.activePayloads` (after trimming) means clear; a JSON object counts as active
 * when its `alarm`, `fire` or `state` field holds a listed value or `true`.
 */
export function fireAlarmActive(payload: string, control: ControlConfig): boolean {
  const active = control.fireAlarm.activePayloads;
  const text = payload.trim();
  if (active.includes(text)) return true;
  if (!text.startsWith('{')) return false;
  try {
    const body: unknown = JSON.parse(text);
    if (typeof body !== 'object' || body === null) return false;
    const fields = body as Record<string, unknown>;
    return ['alarm', 'fire', 'state'].some((k) => {
      const v = fields[k];
      return (
        v === true ||
        (typeof v === 'string' && active.includes(v)) ||
        (typeof v === 'number' && active.includes(String(v)))
      );
    });
  } catch {
    return false;
  }
}
