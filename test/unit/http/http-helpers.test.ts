import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { csvCell, csvLine } from '../../../src/adapters/http/csv.js';
import { HTTP_ERRORS } from '../../../src/adapters/http/errors.js';
import { redactConfig, redactUrlText } from '../../../src/adapters/http/redact.js';
import { pageBounds } from '../../../src/adapters/http/routes/savings.js';
import { isoIn, parseQueryTime } from '../../../src/adapters/http/time.js';

describe('csv cells', () => {
  it('quotes commas, quotes and line breaks, and defuses formulas', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('=SUM(A1)')).toBe("'=SUM(A1)");
    expect(csvCell(-1.5)).toBe('-1.5');
    expect(csvCell(Number.NaN)).toBe('');
    expect(csvCell(null)).toBe('');
    expect(csvLine(['大堂', 2, true])).toBe('大堂,2,true\r\n');
  });
});

describe('redaction', () => {
  it('hides URL credentials and query values, and secret-named keys', () => {
    expect(redactUrlText('mqtts://user:pw@host:8883/x')).toBe('mqtts://***@host:8883/x');
    expect(redactUrlText('https://oapi.dingtalk.com/robot/send?access_token=abc&x=1')).toBe(
      'https://oapi.dingtalk.com/robot/send?access_token=***&x=***',
    );
    expect(redactUrlText('not a url ?a=b')).toBe('not a url ?a=b');
    expect(redactConfig({ a: { password: 'p', passwordEnv: 'MQTT_PW', list: ['http://u:p@h/'] } })).toEqual({
      a: { password: '***', passwordEnv: 'MQTT_PW', list: ['http://***@h/'] },
    });
  });
});

describe('query times', () => {
  it('reads dates as local midnight in the zone and date-times by their offset', () => {
    expect(parseQueryTime('2026-06-01', 'Asia/Shanghai')).toBe(Date.parse('2026-05-31T16:00:00Z'));
    expect(parseQueryTime('2026-06-01T08:00:00+08:00', 'Europe/Berlin')).toBe(
      Date.parse('2026-06-01T00:00:00Z'),
    );
    expect(parseQueryTime('2026-06-01T08:00:00', 'UTC')).toBeUndefined();
    expect(parseQueryTime('2026-02-30', 'UTC')).toBeUndefined();
    expect(isoIn(Date.parse('2026-06-01T00:00:00Z'), 'Asia/Shanghai')).toBe('2026-06-01T08:00:00+08:00');
  });

  it('cuts pages at local day starts, across a DST change', () => {
    const zone = 'Europe/Berlin';
    const from = parseQueryTime('2026-03-28T12:00:00+01:00', zone) as number;
    const to = parseQueryTime('2026-03-31', zone) as number;
    const bounds = pageBounds(from, to, zone, 'day').map((ms) => isoIn(ms, zone));
    expect(bounds).toEqual([
      '2026-03-28T12:00:00+01:00',
      '2026-03-29T00:00:00+01:00',
      '2026-03-30T00:00:00+02:00',
      '2026-03-31T00:00:00+02:00',
    ]);
  });
});

describe('docs/http-api.md', () => {
  it('lists every error code the API answers with', () => {
    const doc = readFileSync('docs/http-api.md', 'utf8');
    for (const code of Object.keys(HTTP_ERRORS)) expect(doc, code).toContain(`\`${code}\``);
  });
});
