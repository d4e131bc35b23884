/** The fire-alarm input's documented payloads (config `control.fireAlarm`). */
export interface FireAlarmPayloads {
  readonly activePayloads: readonly string[];
  readonly clearPayloads: readonly string[];
}

/** What a fire-alarm message says: alarm, all clear, or nothing QuietWatt may act on. */
export type FireAlarmReading = 'active' | 'clear' | 'unknown';

const JSON_FIELDS = ['alarm', 'fire', 'state'] as const;

function readWord(word: string, p: FireAlarmPayloads): FireAlarmReading {
  if (p.activePayloads.includes(word)) return 'active';
  if (p.clearPayloads.includes(word)) return 'clear';
  return 'unknown';
}

/**
 * Reads a message on the fire-alarm input. A listed payload (after trimming) is active or clear; a
 * JSON object is read from its `alarm`, `fire` or `state` field (`true`/`false`, or a listed value).
 * Anything else is `unknown`: it changes nothing. A stray or forged payload must never end a release
 * that a real alarm started, so "not active" is not read as "clear".
 */
export function readFireAlarm(payload: string, p: FireAlarmPayloads): FireAlarmReading {
  const text = payload.trim();
  if (!text.startsWith('{')) return readWord(text, p);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return 'unknown';
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'unknown';
  const fields = body as Record<string, unknown>;
  for (const key of JSON_FIELDS) {
    const v = fields[key];
    if (v === true) return 'active';
    if (v === false) return 'clear';
    if (typeof v === 'string' || typeof v === 'number') {
      const reading = readWord(String(v), p);
      if (reading !== 'unknown') return reading;
    }
  }
  return 'unknown';
}
