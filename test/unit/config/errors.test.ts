import { describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../../src/adapters/config-file/load.js';
import type { ConfigError } from '../../../src/config/errors.js';
import { parseConfigText } from '../../../src/config/parse.js';
import { DEFAULT_CONFIG, fixture, readText } from './helpers.js';

function errorsOf(result: ReturnType<typeof loadConfigFile>): ConfigError[] {
  if (result.ok) throw new Error('expected the config to be invalid');
  return result.errors;
}

const byPath = (errors: ConfigError[], path: string): ConfigError => {
  const e = errors.find((x) => x.path === path);
  if (!e) throw new Error(`no error at ${path}; got:\n${errors.map((x) => x.message).join('\n')}`);
  return e;
};

describe('a broken config (test/fixtures/config/broken.yaml)', () => {
  const file = fixture('broken.yaml');
  const errors = errorsOf(loadConfigFile(file));

  it('reports every mistake at once, each naming the file, the path, the value and the expectation', () => {
    const expected: [string, RegExp][] = [
      ['mqtt.embeddedPort', /expected a number, got "1884"/],
      ['sites[0].spaces[0].type', /expected one of "lobby", .*"other", got "hallway"/],
      ['sites[0].spaces[1].areaM2', /expected a number, got nothing \(the field is missing\)/],
      [
        'sites[0].spaces[0].meters[1].topic',
        /expected a topic without wildcards \(\+ or #\), got "meters\/test\/hall\/#"/,
      ],
      [
        'sites[0].spaces[1].meters[0].id',
        /unique across the whole config \(already used at sites\[0\]\.spaces\[0\]\.meters\[0\]\.id\), got "hall-lighting-meter"/,
      ],
      [
        'sites[0].spaces[0].devices[0].schedule',
        /expected a lighting schedule for a lighting device, not an hvac schedule, got "hall-hvac"/,
      ],
      [
        'sites[0].spaces[0].devices[1].schedule',
        /expected the id of an hvac schedule \(known: hall-hvac\), got "lobby-hvac"/,
      ],
      ['sites[0].spaces[1].devices[0].schedule', /no schedule: co-ventilation is life-safety equipment/],
      ['schedules[1].blocks[0].setpointC', /a setpointC \(°C\) for mode cool/],
      [
        'control.spaces[0].space',
        /expected the id of a space \(known: hall, garage\), got "hal"; did you mean "hall"\?/,
      ],
      [
        'forecast.extraHolidays[0]',
        /expected a date YYYY-MM-DD that exists on the calendar, e\.g\. 2025-12-01, got "2025-13-01"/,
      ],
    ];
    for (const [path, pattern] of expected) {
      const e = byPath(errors, path);
      expect(e.code).toBe('QW_CONFIG_INVALID');
      expect(e.file).toBe(file);
      expect(e.message.startsWith(`${file}: ${path}: `), e.message).toBe(true);
      expect(e.message).toMatch(pattern);
    }
    expect(errors).toHaveLength(expected.length);
  });

  it('lists the errors in file order', () => {
    const lines = errors.map((e) => e.line ?? 0);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
  });

  it('gives the line of each bad value in the file', () => {
    expect(byPath(errors, 'mqtt.embeddedPort').line).toBe(4);
    expect(byPath(errors, 'sites[0].spaces[0].type').line).toBe(19);
    expect(byPath(errors, 'sites[0].spaces[0].meters[1].topic').line).toBe(23);
    expect(byPath(errors, 'sites[0].spaces[0].type').message).toMatch(/\(line 19, column \d+\)$/);
  });
});

describe('a broken copy of config/default.yaml', () => {
  const text = readText(DEFAULT_CONFIG);
  const replace = (s: string, from: string, to: string): string => {
    if (!s.includes(from)) throw new Error(`default.yaml no longer contains ${JSON.stringify(from)}`);
    return s.replace(from, to);
  };
  let broken = replace(text, '  embeddedPort: 1884', '  embeddedPort: high');
  broken = replace(broken, '        type: corridor\n', '        type: hallway\n');
  broken = replace(
    broken,
    '          - id: elevator-hall-b3-lighting\n',
    '          - id: corridor-b3-f12-lighting\n',
  );
  broken = replace(broken, '        type: garage\n        areaM2: 5000\n', '        type: garage\n');
  broken = replace(broken, '            schedule: gym-hvac\n', '            schedule: gym-hvac-summer\n');
  const errors = errorsOf(parseConfigText(broken, 'config/broken.yaml'));

  it('fails with errors naming each path', () => {
    expect(errors.map((e) => e.path).sort()).toEqual(
      [
        'mqtt.embeddedPort',
        'sites[0].spaces[1].type',
        'sites[0].spaces[2].meters[0].id',
        'sites[0].spaces[4].areaM2',
        'sites[0].spaces[5].devices[1].schedule',
      ].sort(),
    );
    for (const e of errors)
      expect(e.message.startsWith(`config/broken.yaml: ${e.path}: expected `)).toBe(true);
  });
});

describe('error details', () => {
  it('reports a YAML syntax error with its line and column', () => {
    const errors = errorsOf(loadConfigFile(fixture('syntax-error.yaml')));
    expect(errors.length).toBeGreaterThan(0);
    const [first] = errors;
    expect(first?.code).toBe('QW_CONFIG_SYNTAX');
    expect(first?.line).toBeGreaterThanOrEqual(5);
    expect(first?.message).toMatch(/syntax-error\.yaml: YAML syntax error: .* \(line \d+, column \d+\)$/);
  });

  it('reports duplicate keys as a syntax error', () => {
    const errors = errorsOf(parseConfigText('logLevel: info\nlogLevel: debug\n', 'dup.yaml'));
    expect(errors[0]?.code).toBe('QW_CONFIG_SYNTAX');
    expect(errors[0]?.line).toBe(2);
  });

  it('refuses a document whose aliases would expand past the limit, without throwing', () => {
    // Nine levels of ten aliases each: a "billion laughs" document, a few hundred bytes long.
    const levels = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++)
      levels.push(
        `a${i}: &a${i} [${Array(10)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      );
    const errors = errorsOf(parseConfigText(`${levels.join('\n')}\n`, 'laughs.yaml'));
    expect(errors).toHaveLength(1);
    expect(errors[0]?.code).toBe('QW_CONFIG_SYNTAX');
    expect(errors[0]?.message).toMatch(/laughs\.yaml: .*YAML that can be read: .*alias/i);
  });

  it('names unknown fields, suggests the close one, and never echoes a secret', () => {
    const text = 'mqtt:\n  password: hunter2\n  clientID: qw\nsites: []\n';
    const errors = errorsOf(parseConfigText(text, 'x.yaml'));
    const secret = byPath(errors, 'mqtt.password');
    expect(secret.message).toContain('passwordEnv');
    expect(JSON.stringify(errors)).not.toContain('hunter2');
    expect(byPath(errors, 'mqtt.clientID').message).toContain('did you mean "clientId"');
  });

  it('truncates long values', () => {
    const long = 'x'.repeat(500);
    const errors = errorsOf(parseConfigText(`logLevel: ${long}\nsites: []\n`, 'x.yaml'));
    const e = byPath(errors, 'logLevel');
    expect(e.value?.length).toBeLessThanOrEqual(60);
    expect(e.message.length).toBeLessThan(300);
  });

  it('says so when the file is empty', () => {
    const errors = errorsOf(parseConfigText('', 'empty.yaml'));
    expect(errors[0]?.message).toBe(
      'empty.yaml: the file is empty: expected a mapping (key: value) with at least `sites`',
    );
  });

  it('reports an unreadable file without throwing', () => {
    const errors = errorsOf(loadConfigFile(fixture('does-not-exist.yaml')));
    expect(errors[0]?.code).toBe('QW_CONFIG_READ');
  });
});

describe('output formats', () => {
  const config = (output: string, kind: string, schedule: string) => `
schedules:
  - { id: hall-lighting, kind: lighting, defaultLevelPct: 100 }
  - id: hall-hvac
    kind: hvac
    blocks: [{ from: "07:00", to: "22:00", mode: cool, setpointC: 26 }]
sites:
  - id: s
    name: Site
    timezone: Asia/Shanghai
    spaces:
      - id: hall
        type: lobby
        areaM2: 100
        devices:
          - { id: d, kind: ${kind}, schedule: ${schedule}, ratedPowerW: 1000, output: ${output} }
`;

  it('rejects an HVAC unit on a lights-only preset, naming the field, the value and what would do', () => {
    for (const output of ['zigbee2mqtt', 'tasmota']) {
      const errors = errorsOf(parseConfigText(config(output, 'hvac', 'hall-hvac'), 'x.yaml'));
      const e = byPath(errors, 'sites[0].spaces[0].devices[0].output');
      expect(e.message).toMatch(
        new RegExp(
          `expected an output that can carry an hvac device \\(${output} drives lighting only; use native or home-assistant\\), got "${output}"`,
        ),
      );
    }
  });

  it('accepts lights on every format and HVAC on native and Home Assistant', () => {
    for (const output of ['native', 'zigbee2mqtt', 'tasmota', 'home-assistant'])
      expect(parseConfigText(config(output, 'lighting', 'hall-lighting'), 'x.yaml').ok).toBe(true);
    for (const output of ['native', 'home-assistant'])
      expect(parseConfigText(config(output, 'hvac', 'hall-hvac'), 'x.yaml').ok).toBe(true);
  });
});
