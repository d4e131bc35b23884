import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { backtest } from '../../../src/cli/commands/backtest.js';
import { isOccupied, lcg, temperatures } from './synthetic.js';

function capture(): {
  out: { log: (l: string) => void; error: (l: string) => void };
  lines: string[];
  errors: string[];
} {
  const lines: string[] = [];
  const errors: string[] = [];
  return { out: { log: (l) => lines.push(l), error: (l) => errors.push(l) }, lines, errors };
}

describe('quietwatt backtest', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qw-backtest-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // 60 days of the simple layout, local Shanghai time, with a zero that means "missing".
  const n = 60 * 24;
  const rand = lcg(9);
  const temps = temperatures(n, rand);
  const rows = ['timestamp,kWh,temperatureC'];
  for (let i = 0; i < n; i++) {
    const t = new Date(Date.UTC(2024, 0, 1, 0) + i * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
    const kWh = i === 100 ? 0 : (isOccupied(i) ? 30 : 10) + 0.3 * Math.max(0, 18 - (temps[i] ?? 0)) + rand();
    rows.push(`${t},${kWh.toFixed(3)},${(temps[i] ?? 0).toFixed(1)}`);
  }
  const file = join(dir, 'meter.csv');
  writeFileSync(file, `${rows.join('\n')}\n`);

  it('prints per-model statistics and says observed temperature stands in for the forecast', async () => {
    const c = capture();
    const code = await backtest([file, '--tz', 'Asia/Shanghai', '--zero-missing'], c.out);
    expect(c.errors).toEqual([]);
    expect(code).toBe(0);
    const text = c.lines.join('\n');
    expect(text).toContain('building time zone Asia/Shanghai');
    expect(text).toMatch(/holidays: cn-\d{4}/); // China's calendar chosen automatically for Shanghai
    expect(text).toContain(`${n} hours, ${n - 1} with a reading`);
    expect(text).toMatch(/Baseline setting\n\s+not run: needs more than a year/);
    expect(text).toMatch(/towt-corrected\s+\d+\.\d/);
    expect(text).toContain('observed temperature stands in for the weather forecast');
  });

  it('--json gives machine-readable output with the options used', async () => {
    const c = capture();
    expect(await backtest([file, '--tz', 'UTC+8', '--building-tz', 'Asia/Shanghai', '--json'], c.out)).toBe(
      0,
    );
    const doc = JSON.parse(c.lines.join('\n')) as {
      input: {
        timestampTimeZone: string;
        buildingTimeZone: string;
        zeroMeansMissing: boolean;
        holidayCalendar: string;
      };
      settings: {
        setting: string;
        ran: boolean;
        models: { name: string; stats: { cvRmse: number; r2: number } }[];
      }[];
    };
    expect(doc.input).toMatchObject({
      timestampTimeZone: 'UTC+8',
      buildingTimeZone: 'Asia/Shanghai',
      zeroMeansMissing: false,
    });
    const da = doc.settings.find((s) => s.setting === 'day-ahead');
    expect(da?.ran).toBe(true);
    expect(da?.models.map((m) => m.name)).toEqual(['seasonal-naive', 'towt', 'towt-corrected']);
    for (const m of da?.models ?? []) expect(m.stats.cvRmse).toBeGreaterThan(0);
  });

  it('usage errors exit 2, unreadable files exit 1', async () => {
    const c = capture();
    expect(await backtest([], c.out)).toBe(2);
    expect(await backtest([file, '--tz'], c.out)).toBe(2);
    expect(await backtest([file, '--bogus'], c.out)).toBe(2);
    expect(await backtest([file, '--holidays', 'uk'], c.out)).toBe(2);
    expect(await backtest([join(dir, 'missing.csv')], c.out)).toBe(1);
    expect(c.errors.join('\n')).toMatch(
      /no CSV file given|--tz needs a zone|unknown option --bogus|cannot read/,
    );
  });
});
