import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signCommand, verifySignedCommand } from '../../../src/domain/commands/signature.js';

describe('signed commands', () => {
  it('verifies what it signed, with its sequence number and command', () => {
    const payload = signCommand('s3cret', 42, { action: 'release' });
    expect(verifySignedCommand(payload, 's3cret')).toEqual({
      ok: true,
      seq: 42,
      command: { action: 'release' },
    });
  });

  it('is what a shell can produce: HMAC-SHA256 of the signed text, lowercase hex', () => {
    const signed = '{"seq":7,"command":{"release":true}}';
    const hmac = createHmac('sha256', 'k').update(signed).digest('hex');
    expect(verifySignedCommand(JSON.stringify({ signed, hmac }), 'k')).toMatchObject({ ok: true, seq: 7 });
  });

  it('refuses another secret, an altered text, a bad shape and a missing sequence, saying which', () => {
    const payload = signCommand('s3cret', 1, { action: 'release' });
    expect(verifySignedCommand(payload, 'other')).toMatchObject({ ok: false, error: /does not verify/ });
    const m = JSON.parse(payload) as { signed: string; hmac: string };
    const altered = JSON.stringify({ ...m, signed: m.signed.replace('release', 'resume') });
    expect(verifySignedCommand(altered, 's3cret')).toMatchObject({ ok: false, error: /does not verify/ });
    expect(verifySignedCommand('release', 's3cret')).toMatchObject({ ok: false, error: /not JSON/ });
    expect(verifySignedCommand('{"action":"release"}', 's3cret')).toMatchObject({
      ok: false,
      error: /expected/,
    });
    const noSeq = '{"command":{}}';
    const hmac = createHmac('sha256', 'k').update(noSeq).digest('hex');
    expect(verifySignedCommand(JSON.stringify({ signed: noSeq, hmac }), 'k')).toMatchObject({
      ok: false,
      error: /seq/,
    });
  });
});
