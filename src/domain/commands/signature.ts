/**
 * Signed operator commands over MQTT. The message is `{"signed": TEXT, "hmac": HEX}`: TEXT is the
 * JSON `{"seq": N, "command": ENVELOPE}` exactly as signed, HEX its HMAC-SHA256 under the shared
 * secret. Signing the text as sent (not a re-serialisation) leaves nothing to canonicalise, and a
 * shell can sign with `openssl dgst -sha256 -hmac`. `seq` must move forward: the receiver keeps the
 * last one it carried out, so a replayed or older message changes nothing.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

export const SignedCommandMessage = z
  .object({
    signed: z
      .string()
      .min(2)
      .max(8192)
      .meta({ description: 'The JSON text {"seq": N, "command": {...envelope}} exactly as signed' }),
    hmac: z
      .string()
      .regex(/^[0-9a-f]{64}$/, 'a lowercase hex HMAC-SHA256 (64 characters)')
      .meta({ description: 'HMAC-SHA256 of `signed` under the shared command secret, lowercase hex' }),
  })
  .strict()
  .meta({ description: 'A signed operator command on a <prefix>/command topic' });
export type SignedCommandMessage = z.infer<typeof SignedCommandMessage>;

export const SignedCommandBody = z
  .object({
    seq: z
      .number()
      .int()
      .positive()
      .max(Number.MAX_SAFE_INTEGER)
      .meta({ description: 'Moves forward with every command (the CLI uses the wall-clock time in ms)' }),
    command: z
      .unknown()
      .meta({ description: 'The command envelope (or an older release/commission payload)' }),
  })
  .strict();

export type VerifiedCommand =
  | { readonly ok: true; readonly seq: number; readonly command: unknown }
  | { readonly ok: false; readonly error: string };

function hmacHex(secret: string, text: string): string {
  return createHmac('sha256', secret).update(text, 'utf8').digest('hex');
}

/** The message that carries `command` with sequence number `seq`, signed with `secret`. */
export function signCommand(secret: string, seq: number, command: unknown): string {
  const signed = JSON.stringify({ seq, command });
  const message: SignedCommandMessage = { signed, hmac: hmacHex(secret, signed) };
  return JSON.stringify(message);
}

/** Checks a command message's signature; the sequence check is the receiver's (it keeps the last). */
export function verifySignedCommand(payload: string, secret: string): VerifiedCommand {
  let json: unknown;
  try {
    json = JSON.parse(payload);
  } catch {
    return { ok: false, error: 'not a signed command (not JSON)' };
  }
  const message = SignedCommandMessage.safeParse(json);
  if (!message.success)
    return { ok: false, error: 'not a signed command: expected {"signed": "...", "hmac": "<64 hex>"}' };
  const expected = Buffer.from(hmacHex(secret, message.data.signed), 'hex');
  const given = Buffer.from(message.data.hmac, 'hex');
  if (expected.length !== given.length || !timingSafeEqual(expected, given))
    return { ok: false, error: 'signature does not verify (wrong secret or altered message)' };
  let body: unknown;
  try {
    body = JSON.parse(message.data.signed);
  } catch {
    return { ok: false, error: 'signed text is not JSON' };
  }
  const parsed = SignedCommandBody.safeParse(body);
  if (!parsed.success)
    return { ok: false, error: 'signed text must be {"seq": <positive integer>, "command": {...}}' };
  return { ok: true, seq: parsed.data.seq, command: parsed.data.command };
}
