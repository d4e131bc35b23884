import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { zeroRunsOf } from '../../../src/adapters/csv/zero-runs.js';
import { backtest } from '../../../src/cli/commands/backtest.js';
import { randomizedRefusal } from '../../../src/cli/commands/figure-refusals.js';
import { savings } from '../../../src/cli/commands/savings.js';
import type { CommandOutput } from '../../../src/cli/output.js';
import { assignDays, serializeDesign } from '../../../src/domain/savings/randomized-design.js';
import type { RandomizedEstimate } from '../../../src/domain/savings/randomized-estimate.js';

const dir = mkdtempSync(join(tmpdir(), 'qw-refusals-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HOUR = 3_600_000;
const START = Date.UTC(2024, 0, 1); // a Monday

function capture(): CommandOutput & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, log: (l) => lines.push(l), error: (l) => errors.push(l) };
}

/** A simple-layout CSV of `hours` hourly rows from START, kWh from `kWh(i)`. */
function csv(name: string, hours: number, kWh: (i: number) => number): string {
  const rows = ['timestamp,kWh,temperatureC'];
  for (let i = 0; i < hours; i++) {
    const temp = 10 + 8 * Math.sin((2 * Math.PI * i) / (24 * 30)) + 3 * Math.sin((2 * Math.PI * i) / 24);
    rows.push(`${new Date(START + i * HOUR).toISOString()},${kWh(i).toFixed(3)},${temp.toFixed(1)}`);
  }
  const file = join(dir, name);
  writeFileSync(file, `${rows.join('\n')}\n`);
  return file;
}

/** Busy on weekdays 08:00-18:00, with a little noise. */
const office = (i: number) => {
  const how = i % 168;
  const busy = Math.floor(how / 24) < 5 && how % 24 >= 8 && how % 24 < 18;
  return (busy ? 30 : 10) + ((i * 7919) % 13) / 10;
};

describe('savings says why it gives no figure', () => {
  it('baseline method: a baseline too short to calibrate the interval', async () => {
    // 10 weeks of baseline: enough to fit, too few held-out months to calibrate the interval.
    const file = csv('short.csv', 12 * 168, office);
    const c = capture();
    expect(await savings([file, '--baseline-end', '2024-03-11'], c)).toBe(0);
    const text = c.lines.join('\n');
    expect(text).toMatch(
      /NO SAVINGS FIGURE: \d baseline months have enough readings to be held out; \d are needed/,
    );
    expect(text).not.toMatch(/NaN/);

    const j = capture();
    expect(await savings([file, '--baseline-end', '2024-03-11', '--json'], j)).toBe(0);
    const doc = JSON.parse(j.lines.join('\n')) as { savings: unknown; refused: string[] };
    expect(doc.savings).toBeNull();
    expect(doc.refused[0]).toMatch(/held out/);
  });

  it('randomized method: too few days for the model', async () => {
    const file = csv('week.csv', 3 * 168, office);
    const design = assignDays({
      seed: 1,
      startDate: '2024-01-08',
      weeks: 1,
      treatedShare: 0.5,
      blockWeeks: 2,
      washoutHours: 2,
    });
    const designFile = join(dir, 'design.json');
    writeFileSync(designFile, serializeDesign(design));
    const c = capture();
    expect(await savings([file, '--design', designFile], c)).toBe(0);
    const text = c.lines.join('\n');
    expect(text).toMatch(
      /NO SAVINGS FIGURE: \d treated and \d control days over 1 week\(s\) leave no degrees of freedom .*more weeks are needed/,
    );
    expect(text).not.toMatch(/NaN|n\/a/);
  });

  it('randomized refusal reasons name the days and what is missing', () => {
    const base: RandomizedEstimate = {
      treatedDays: 3,
      controlDays: 4,
      savingsShare: 0.1,
      avoidedKWh: 10,
      treatedKWh: 90,
      intervals: [{ confidence: 0.9, lowShare: 0.05, highShare: 0.15 }],
      dof: 1,
      weeks: 1,
      standardError: 0.02,
      usedTemperature: false,
    };
    expect(randomizedRefusal(base)).toBeUndefined();
    expect(randomizedRefusal({ ...base, savingsShare: Number.NaN })).toMatch(
      /^3 treated and 4 control days over 1 week\(s\) do not determine the treatment effect/,
    );
    expect(
      randomizedRefusal({
        ...base,
        standardError: Number.NaN,
        intervals: [{ confidence: 0.9, lowShare: Number.NaN, highShare: Number.NaN }],
      }),
    ).toMatch(/no degrees of freedom for the uncertainty/);
  });
});

describe('backtest says why a model has no figure', () => {
  it('a meter reading zero throughout: the reason beside the n/a', async () => {
    // A meter that reads 0 throughout (disconnected): the mean is zero, so CV(RMSE) is undefined.
    const file = csv('dead.csv', 60 * 24, () => 0);
    const c = capture();
    expect(await backtest([file], c)).toBe(0);
    const text = c.lines.join('\n');
    expect(text).toMatch(
      /no figure for seasonal-naive, towt, towt-corrected, chosen: the mean load .* is about zero/,
    );

    const j = capture();
    expect(await backtest([file, '--json'], j)).toBe(0);
    const doc = JSON.parse(j.lines.join('\n')) as {
      settings: { ran: boolean; models: { stats: { cvRmse: number | null }; refused?: string }[] }[];
    };
    const ran = doc.settings.filter((s) => s.ran).flatMap((s) => s.models);
    expect(ran.length).toBeGreaterThan(0);
    for (const m of ran) if (m.stats.cvRmse === null) expect(m.refused).toMatch(/about zero/);
  });
});

describe('runs of zeros in a simple CSV', () => {
  // Nights of 0 from 00:00 to 06:00: a meter that writes 0 for "no reading".
  const nightsOfZeros = (i: number) => (i % 24 < 6 ? 0 : office(i));

  it('are warned about by backtest and savings, naming --zero-missing; not with it', async () => {
    const file = csv('zeros.csv', 60 * 24, nightsOfZeros);
    const c = capture();
    await backtest([file, '--json'], c);
    expect(c.errors).toHaveLength(1);
    expect(c.errors[0]).toMatch(
      /^warning: 60 run\(s\) of consecutive zero readings \(360 rows, 360 h; the longest 6 h from 2024-01-01 00:00\) are read as zero consumption\. .*--zero-missing/,
    );
    expect(() => JSON.parse(c.lines.join('\n'))).not.toThrow();

    const s = capture();
    await savings([file, '--baseline-end', '2024-02-15'], s);
    expect(s.errors[0]).toMatch(/^warning: 60 run\(s\) of consecutive zero readings/);

    const quiet = capture();
    await backtest([file, '--zero-missing'], quiet);
    expect(quiet.errors).toEqual([]);
  });

  it('a lone zero is no run; a run needs two rows and an hour', () => {
    const rows = (values: number[], stepMs = HOUR) =>
      values.map((value, i) => ({ startMs: i * stepMs, value }));
    expect(zeroRunsOf(rows([5, 0, 5, 0, 5]), 60)).toBeNull();
    expect(zeroRunsOf(rows([5, 0, 0, 5, 0, 0, 0]), 60)).toEqual({
      runs: 2,
      rows: 5,
      longestStartMs: 4 * HOUR,
      longestRows: 3,
    });
    // Four 15-minute zeros make an hour; three do not.
    expect(zeroRunsOf(rows([1, 0, 0, 0, 1], 15 * 60_000), 15)).toBeNull();
    expect(zeroRunsOf(rows([1, 0, 0, 0, 0, 1], 15 * 60_000), 15)?.runs).toBe(1);
  });
});
