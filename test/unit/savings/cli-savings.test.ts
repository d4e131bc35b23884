import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { savings } from '../../../src/cli/commands/savings.js';
import { assignDays, serializeDesign } from '../../../src/domain/savings/randomized-design.js';
import { syntheticBuilding } from './synthetic.js';

const dir = mkdtempSync(join(tmpdir(), 'qw-savings-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const START = Date.UTC(2023, 0, 2);
const SPLIT = Date.UTC(2024, 0, 1);
const hours = (Date.UTC(2024, 3, 1) - START) / 3_600_000;
const series = syntheticBuilding({
  seed: 9,
  startMs: START,
  hours,
  scale: (_i, ts) => (ts >= SPLIT ? 0.9 : 1),
});
const csv = join(dir, 'meter.csv');
writeFileSync(
  csv,
  `timestamp,kWh,temperatureC\n${series.tsMs
    .map(
      (t, i) =>
        `${new Date(t).toISOString()},${series.kWh[i]?.toFixed(3)},${series.temperatureC?.[i]?.toFixed(2)}`,
    )
    .join('\n')}\n`,
);

function capture() {
  const lines: string[] = [];
  const errors: string[] = [];
  return { out: { log: (l: string) => lines.push(l), error: (l: string) => errors.push(l) }, lines, errors };
}

describe('quietwatt savings', () => {
  it('prints avoided energy, share and both intervals', async () => {
    const c = capture();
    expect(
      await savings(
        [csv, '--baseline-end', '2024-01-01', '--tariff', 'cn-residential-combined-example'],
        c.out,
      ),
    ).toBe(0);
    const text = c.lines.join('\n');
    expect(text).toMatch(/avoided energy [\d,]+ kWh = \d+\.\d % of the adjusted baseline/);
    expect(text).toMatch(/90 %: empirical ±[\d,]+ kWh .*Guideline 14 ±/);
    expect(text).toMatch(/at tariff cn-residential-combined-example: [\d.]+ CNY; CO2 \d+ kg/);
    expect(c.errors).toEqual([]);
  });

  it('--json gives the figures for machines', async () => {
    const c = capture();
    expect(await savings([csv, '--baseline-end', '2024-01-01', '--json'], c.out)).toBe(0);
    const j = JSON.parse(c.lines.join('\n'));
    expect(j.method).toBe('baseline');
    expect(j.savings.savingsShare).toBeGreaterThan(0.05);
    expect(j.savings.savingsShare).toBeLessThan(0.15);
    expect(j.savings.empirical.map((i: { confidence: number }) => i.confidence)).toEqual([0.68, 0.9]);
    expect(j.nonRoutine).toEqual([]);
  });

  it('runs the randomized method from a saved design', async () => {
    const design = assignDays({
      seed: 3,
      startDate: '2024-01-01',
      weeks: 12,
      treatedShare: 0.5,
      blockWeeks: 2,
      washoutHours: 2,
    });
    const file = join(dir, 'design.json');
    writeFileSync(file, serializeDesign(design));
    const c = capture();
    expect(await savings([csv, '--design', file, '--json'], c.out)).toBe(0);
    const j = JSON.parse(c.lines.join('\n'));
    // The whole period saved 10 %, treated and control alike: the arms do not differ.
    expect(j.intervals[1].lowShare).toBeLessThan(0);
    expect(j.intervals[1].highShare).toBeGreaterThan(0);
  });

  it('explains bad arguments with exit code 2', async () => {
    for (const args of [
      [csv],
      [csv, '--baseline-end', '1 Jan'],
      [csv, '--baseline-end', '2024-01-01', '--tariff', 'x'],
    ]) {
      const c = capture();
      expect(await savings(args, c.out)).toBe(2);
      expect(c.errors[0]).toMatch(/baseline-end|tariff/);
    }
  });

  it('reports an unreadable file and a too-short baseline with exit code 1', async () => {
    const c = capture();
    expect(await savings([join(dir, 'nope.csv'), '--baseline-end', '2024-01-01'], c.out)).toBe(1);
    const d = capture();
    expect(await savings([csv, '--baseline-end', '2023-01-20'], d.out)).toBe(1);
    expect(d.errors[0]).toMatch(/at least 8 weeks/);
  });
});
