import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/adapters/sqlite/database.js';
import { SqliteIntervalStore } from '../../src/adapters/sqlite/interval-store.js';
import { SqliteReadingStore } from '../../src/adapters/sqlite/reading-store.js';
import { DB_FILE_NAME } from '../../src/adapters/sqlite/storage.js';
import { importHistory } from '../../src/cli/commands/import.js';
import type { CommandOutput } from '../../src/cli/output.js';

const FIXTURE = join(import.meta.dirname, '../fixtures/history-import/cambridge-b0-2018-first-14-days.csv');

let dir: string;
let config: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'qw-import-'));
  config = join(dir, 'config.yaml');
  writeFileSync(
    config,
    `storage:
  dir: ${JSON.stringify(join(dir, 'store'))}
sites:
  - id: campus
    name: Campus
    timezone: Europe/London
    spaces:
      - id: b0
        type: other
        areaM2: 1000
        meters:
          - { id: b0-main, topic: meters/b0, measures: total }
          - { id: b0-light, topic: meters/b0-light, measures: lighting }
`,
  );
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function output() {
  const lines: string[] = [];
  const errors: string[] = [];
  const out: CommandOutput = { log: (l) => lines.push(l), error: (l) => errors.push(l) };
  return { out, lines, errors };
}

async function run(...args: string[]) {
  const o = output();
  const code = await importHistory([...args, '--config', config], o.out);
  return { code, ...o };
}

/** Row counts and energy sums per interval length for a meter. */
function totals(meterId: string) {
  const db = openDatabase(join(dir, 'store', DB_FILE_NAME));
  try {
    const store = new SqliteIntervalStore(db.db);
    const at = (minutes: 15 | 60) => {
      const rows = store.intervalsFor({ meterId, minutes, fromMs: 0, toMs: Number.MAX_SAFE_INTEGER });
      return { n: rows.length, kWh: rows.reduce((a, r) => a + (r.energyKWh ?? 0), 0), rows };
    };
    return { q: at(15), h: at(60) };
  } finally {
    db.close();
  }
}

function fileTotal(path: string): number {
  return readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .reduce((a, l) => a + Number(l.split(',')[1]), 0);
}

describe('quietwatt import', () => {
  it('imports a real Cambridge slice, and re-importing it changes nothing', async () => {
    const first = await run(FIXTURE, '--meter', 'b0-main');
    expect(first.errors).toEqual([]);
    expect(first.code).toBe(0);
    expect(first.lines[0]).toContain('layout cambridge, 60-minute data');
    const a = totals('b0-main');
    expect(a.h.n).toBe(336);
    expect(a.q.n).toBe(336 * 4);
    expect(a.h.kWh).toBeCloseTo(fileTotal(FIXTURE), 6);
    expect(a.q.kWh).toBeCloseTo(fileTotal(FIXTURE), 6);
    expect(a.h.rows[0]).toMatchObject({ startMs: Date.UTC(2018, 0, 1), spaceId: 'b0', endUse: 'total' });

    const again = await run(FIXTURE, '--meter', 'b0-main', '--json');
    expect(again.code).toBe(0);
    expect(JSON.parse(again.lines.join('\n'))).toMatchObject({ status: 'already-imported', written: 0 });
    expect(totals('b0-main')).toEqual(a);

    // The same data in other bytes (CRLF line ends) is another file: it replaces, never adds.
    const crlf = join(dir, 'b0-crlf.csv');
    writeFileSync(crlf, readFileSync(FIXTURE, 'utf8').replace(/\n/g, '\r\n'));
    const replaced = await run(crlf, '--meter', 'b0-main', '--json');
    expect(JSON.parse(replaced.lines.join('\n'))).toMatchObject({
      status: 'imported',
      written: 0,
      replaced: 1680,
    });
    const b = totals('b0-main');
    expect(b.h.n).toBe(a.h.n);
    expect(b.q.n).toBe(a.q.n);
    expect(b.h.kWh).toBeCloseTo(a.h.kWh, 9);
    expect(b.q.kWh).toBeCloseTo(a.q.kWh, 9);
  });

  it('leaves live data alone: only intervals before the hour of the first live reading are imported', async () => {
    const liveMs = Date.UTC(2018, 0, 10, 6, 20);
    const db = openDatabase(join(dir, 'store', DB_FILE_NAME));
    new SqliteReadingStore(db.db).appendReadings([
      { meterId: 'b0-main', tsMs: liveMs, energyKWh: 5000, receivedAtMs: liveMs },
    ]);
    new SqliteIntervalStore(db.db).addIntervals([
      {
        meterId: 'b0-main',
        siteId: 'campus',
        spaceId: 'b0',
        endUse: 'total',
        minutes: 60,
        startMs: Date.UTC(2018, 0, 10, 7),
        energyKWh: 7,
        coverage: 1,
        missing: false,
      },
    ]);
    db.close();
    const r = await run(FIXTURE, '--meter', 'b0-main', '--json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.lines.join('\n'));
    expect(report.liveStartMs).toBe(Date.UTC(2018, 0, 10, 6));
    const t = totals('b0-main');
    const hours = t.h.rows;
    expect(hours.filter((x) => x.startMs < Date.UTC(2018, 0, 10, 6))).toHaveLength(9 * 24 + 6);
    expect(hours.filter((x) => x.startMs >= Date.UTC(2018, 0, 10, 6)).map((x) => x.energyKWh)).toEqual([7]);
    expect(report.written + report.skippedLive).toBe(336 * 5);
  });

  it('reads the simple and register layouts in the meter’s zone; errors name the line and the field', async () => {
    const simple = join(dir, 'simple.csv');
    writeFileSync(simple, 'timestamp,kWh\n2024-03-01 00:00,1.5\n2024-03-01 01:00,2.5\n');
    expect((await run(simple, '--meter', 'b0-light')).code).toBe(0);
    // Naive times are the meter's local time (Europe/London: UTC in March before DST).
    expect(totals('b0-light').h.rows.map((x) => [x.startMs, x.energyKWh])).toEqual([
      [Date.UTC(2024, 2, 1, 0), 1.5],
      [Date.UTC(2024, 2, 1, 1), 2.5],
    ]);
    const reg = join(dir, 'register.csv');
    writeFileSync(
      reg,
      'timestamp,registerKWh\n2024-07-01T00:00:00+08:00,100\n2024-07-01T01:00:00+08:00,104\n',
    );
    expect((await run(reg, '--meter', 'b0-main', '--tz', 'Asia/Shanghai')).code).toBe(0);
    expect(totals('b0-main').h.rows.map((x) => [x.startMs, x.energyKWh])).toEqual([
      [Date.UTC(2024, 5, 30, 16), 4],
    ]);

    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'timestamp,kWh\n2024-04-01 00:00,1\n\n2024-04-01 01:00,x1\n2024-04-01 0200,1\n');
    const r = await run(bad, '--meter', 'b0-light');
    expect(r.code).toBe(1);
    expect(r.errors[0]).toBe(`${bad}: line 4, field kWh: "x1" is not a number`);
    expect(r.errors[1]).toMatch(/line 5, field timestamp: "2024-04-01 0200" is not a time/);
    expect(r.errors.at(-1)).toBe(`${bad}: nothing imported`);
    expect(totals('b0-light').h.n).toBe(2);
  });

  it('refuses bad usage with exit code 2', async () => {
    expect((await run(FIXTURE)).code).toBe(2);
    const unknown = await run(FIXTURE, '--meter', 'nope');
    expect(unknown.code).toBe(2);
    expect(unknown.errors[0]).toContain('no meter "nope"');
    expect((await run(join(dir, 'absent.csv'), '--meter', 'b0-main')).errors[0]).toContain('no such file');
  });
});
