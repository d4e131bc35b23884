import { describe, expect, it } from 'vitest';
import {
  METER_FILE_OPTIONS,
  meterFileReadOptions,
  parseCommand,
} from '../../../src/cli/commands/meter-file-options.js';

const OPTIONS = { ...METER_FILE_OPTIONS, help: { type: 'boolean' } } as const;

function read(args: string[]) {
  const parsed = parseCommand(args, OPTIONS);
  if (typeof parsed === 'string') throw new Error(parsed);
  return { ...parsed, read: meterFileReadOptions(parsed.values, parsed.tokens) };
}

describe('meter-file options', () => {
  it('turns every option into the csv reader options and keeps the files in order', () => {
    const r = read([
      'a.csv',
      '--tz',
      'UTC+8',
      '--building-tz',
      'Asia/Shanghai',
      'b.csv',
      '--hour-ending',
      '--zero-missing',
      '--column',
      'Panther_office_Hannah',
      '--temperature',
      'w1.csv',
      '--json',
    ]);
    expect(r.positionals).toEqual(['a.csv', 'b.csv']);
    expect(r.values.json).toBe(true);
    expect(r.read).toEqual({
      timestampTimeZone: 'UTC+8',
      buildingTimeZone: 'Asia/Shanghai',
      hourEnding: true,
      zeroMeansMissing: true,
      column: 'Panther_office_Hannah',
      temperatureFiles: ['w1.csv'],
    });
  });

  it('leaves unset options out so the layout defaults apply', () => {
    const r = read(['a.csv']);
    expect(r.read).toEqual({});
    expect(r.values.json).toBeUndefined();
  });

  it('collects a repeated --temperature in order; a repeated single option keeps the last value', () => {
    const r = read([
      'a.csv',
      '--temperature',
      'w1.csv',
      '--tz',
      'UTC',
      '--temperature',
      'w2.csv',
      '--tz',
      'UTC+1',
    ]);
    expect(r.read.temperatureFiles).toEqual(['w1.csv', 'w2.csv']);
    expect(r.read.timestampTimeZone).toBe('UTC+1');
  });

  it('lets the later of --zero-missing and --no-zero-missing win', () => {
    expect(read(['a.csv', '--no-zero-missing']).read.zeroMeansMissing).toBe(false);
    expect(read(['a.csv', '--zero-missing', '--no-zero-missing']).read.zeroMeansMissing).toBe(false);
    expect(read(['a.csv', '--no-zero-missing', '--zero-missing']).read.zeroMeansMissing).toBe(true);
  });

  it('accepts an inline value and a value that starts with a single dash', () => {
    expect(read(['a.csv', '--tz=UTC']).read.timestampTimeZone).toBe('UTC');
    expect(read(['a.csv', '--column', '-total']).read.column).toBe('-total');
  });

  it('refuses unknown options, naming them', () => {
    expect(parseCommand(['a.csv', '--bogus'], OPTIONS)).toBe('unknown option --bogus');
    expect(parseCommand(['a.csv', '-x'], OPTIONS)).toBe('unknown option -x');
    expect(parseCommand(['a.csv', '--toString'], OPTIONS)).toBe('unknown option --toString');
    // Options of other commands are not meter-file options.
    expect(parseCommand(['a.csv', '--holidays', 'none'], OPTIONS)).toBe('unknown option --holidays');
  });

  it('names the option and what it got when a value is missing', () => {
    expect(parseCommand(['a.csv', '--tz'], OPTIONS)).toBe(
      '--tz needs a zone, e.g. --tz UTC or --tz Asia/Shanghai, got null',
    );
    expect(parseCommand(['a.csv', '--building-tz', '--json'], OPTIONS)).toBe(
      '--building-tz needs an IANA zone, e.g. --building-tz Europe/London, got "--json"',
    );
    expect(parseCommand(['a.csv', '--column'], OPTIONS)).toBe('--column needs a column name, got null');
    expect(parseCommand(['a.csv', '--temperature', 'w1.csv', '--temperature'], OPTIONS)).toBe(
      '--temperature needs a file, got null',
    );
  });

  it('refuses a value given to a switch', () => {
    expect(parseCommand(['a.csv', '--json=yes'], OPTIONS)).toBe('--json takes no value, got "yes"');
    expect(parseCommand(['a.csv', '--zero-missing=false'], OPTIONS)).toBe(
      '--zero-missing takes no value, got "false"',
    );
  });

  it('takes each command its own options beside the shared ones', () => {
    const options = { ...OPTIONS, holidays: { type: 'string', needs: 'auto, china or none' } } as const;
    const parsed = parseCommand(['a.csv', '--holidays', 'china', '--hour-ending'], options);
    if (typeof parsed === 'string') throw new Error(parsed);
    expect(parsed.values.holidays).toBe('china');
    expect(meterFileReadOptions(parsed.values, parsed.tokens)).toEqual({ hourEnding: true });
    expect(parseCommand(['a.csv', '--holidays'], options)).toBe(
      '--holidays needs auto, china or none, got null',
    );
  });
});
