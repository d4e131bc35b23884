import { describe, expect, it } from 'vitest';
import { BACKTEST_USAGE, backtest } from '../../../src/cli/commands/backtest.js';
import { CONFIG_USAGE, config } from '../../../src/cli/commands/config-command.js';
import { RUN_USAGE, run } from '../../../src/cli/commands/run.js';
import type { CommandOutput } from '../../../src/cli/output.js';

function output(): CommandOutput & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, log: (l) => out.push(l), error: (l) => err.push(l) };
}

/** What every command's full help has: a usage line, a description, its options. */
function expectFullHelp(text: string, usage: string): void {
  expect(text.startsWith(usage)).toBe(true);
  expect(text.split('\n').length).toBeGreaterThan(8);
  expect(text).toMatch(/\nOptions:\n/);
  expect(text).toMatch(/--help/);
}

describe('--help', () => {
  it('quietwatt config --help prints the full help, as config check --help and config help do', async () => {
    for (const args of [['--help'], ['-h'], ['help'], ['check', '--help'], ['check', 'x.yaml', '--help']]) {
      const o = output();
      expect(await config(args, o), args.join(' ')).toBe(0);
      expect(o.out).toEqual([CONFIG_USAGE]);
      expect(o.err).toEqual([]);
    }
    expectFullHelp(CONFIG_USAGE, 'Usage: quietwatt config check FILE');
    expect(CONFIG_USAGE).toMatch(/Exit status/);
  });

  it('quietwatt config without a subcommand, or with an unknown one, is a usage error with the help', async () => {
    for (const [args, why] of [
      [[], 'no config subcommand given'],
      [['chek', 'x.yaml'], 'unknown config subcommand "chek"'],
      [['check'], 'no config file given'],
    ] as const) {
      const o = output();
      expect(await config([...args], o)).toBe(2);
      expect(o.err[0]).toBe(`${why}\n\n${CONFIG_USAGE}`);
    }
  });

  it('quietwatt run --help prints the full help without starting anything', async () => {
    for (const args of [['--help'], ['-h'], ['--config', 'no-such.yaml', '--help']]) {
      const o = output();
      expect(await run(args, o)).toBe(0);
      expect(o.out).toEqual([RUN_USAGE]);
    }
    expectFullHelp(RUN_USAGE, 'Usage: quietwatt run [--config FILE]');
    expect(RUN_USAGE).toMatch(/LOG_FORMAT=json/);
    expect(RUN_USAGE).toMatch(/wallTime/);
  });

  it('quietwatt run with an unknown option is a usage error with the help', async () => {
    const o = output();
    expect(await run(['--confg', 'x.yaml'], o)).toBe(2);
    expect(o.err[0]).toMatch(/--confg/);
    expect(o.err[0]).toContain(RUN_USAGE);
  });

  it('the other commands print theirs the same way (backtest as the example)', async () => {
    const o = output();
    expect(await backtest(['--help'], o)).toBe(0);
    expect(o.out).toEqual([BACKTEST_USAGE]);
    expectFullHelp(BACKTEST_USAGE, 'Usage: quietwatt backtest');
  });
});
