import { describe, expect, it } from 'vitest';
import { ConnectionLog, connectionHint } from '../../../src/adapters/mqtt/connection-log.js';
import { captureLogger } from '../../helpers/logger.js';

const withCode = (message: string, code: unknown) => Object.assign(new Error(message), { code });

describe('ConnectionLog', () => {
  it('warns once per outage, repeats only as debug, and reminds at most every remindEveryMs', () => {
    const log = captureLogger();
    let now = 0;
    const connection = new ConnectionLog(log, () => now, 60_000);
    // A day's outage with an attempt every 2 s.
    for (; now < 86_400_000; now += 2_000) connection.error(withCode('connect ECONNREFUSED', 'ECONNREFUSED'));
    const warnings = log.lines.filter((l) => l.level === 'warn');
    expect(warnings.length).toBeLessThanOrEqual(1 + 24 * 60);
    expect(warnings[0]?.obj).toMatchObject({ err: 'connect ECONNREFUSED', hint: expect.any(String) });
    expect(log.lines.filter((l) => l.level === 'debug').length).toBeGreaterThan(40_000);
    expect(connection.connected()).toEqual({ errors: 43_200, failingForMs: 86_400_000 });
    expect(connection.last).toBeUndefined();
  });

  it('warns again at once when the error changes', () => {
    const log = captureLogger();
    const connection = new ConnectionLog(log, () => 0, 60_000);
    connection.error(withCode('connect ECONNREFUSED', 'ECONNREFUSED'));
    connection.error(withCode('connect ECONNREFUSED', 'ECONNREFUSED'));
    connection.error(withCode('Connection refused: Not authorized', 5));
    expect(log.lines.map((l) => `${l.level} ${l.msg}`)).toEqual([
      'warn mqtt error',
      'debug mqtt error',
      'warn mqtt still failing; retrying',
    ]);
    expect(connection.last).toBe('Connection refused: Not authorized');
  });

  it('names what to check for a refused login and a certificate that does not verify', () => {
    expect(connectionHint(withCode('Connection refused: Not authorized', 5))).toMatch(/passwordEnv/);
    expect(connectionHint(withCode('Connection refused: Bad User Name or Password', 134))).toMatch(
      /usernameEnv/,
    );
    expect(connectionHint(withCode('self-signed certificate', 'SELF_SIGNED_CERT_IN_CHAIN'))).toMatch(
      /caFile/,
    );
    expect(connectionHint(withCode('bad', 'ERR_TLS_CERT_ALTNAME_INVALID'))).toMatch(/host name/);
    expect(connectionHint(new Error('other'))).toBeUndefined();
  });
});
