import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { configCheck } from '../../../src/cli/commands/config-check.js';
import { QuietWattConfig } from '../../../src/config/schema/index.js';
import { formatPath, type Path } from '../../../src/config/schema/issues.js';
import { REFERENCE_KINDS } from '../../../src/config/schema/references.js';
import { type StringField, stringFields, valuesAt } from '../../../src/config/schema-walk.js';
import { minimalConfig, tempDir } from './helpers.js';

const FIELDS = stringFields(QuietWattConfig);
const REFS = FIELDS.filter((f) => f.mark?.ref !== undefined);
const DATES = FIELDS.filter((f) => f.format === 'date' || f.format === 'datetime');

/** A valid config in which every reference field and every date field holds a value. */
function everyReference(): ReturnType<typeof minimalConfig> {
  const cfg = minimalConfig();
  cfg.sites.push({
    id: 'second-court',
    name: 'Second Court',
    timezone: 'Asia/Shanghai',
    spaces: [{ id: 'gym', type: 'gym', areaM2: 50 }],
  });
  cfg.clock = { source: 'accelerated', start: '2025-07-01T00:00:00+08:00' };
  cfg.control = { spaces: [{ site: 'test-court', space: 'hall', mode: 'active' }] };
  cfg.tariffs = {
    tariffs: [{ kind: 'flat', id: 'site-flat', name: 'Flat', pricePerKWh: 0.6, year: 2024, source: 'bill' }],
    defaultTariff: 'site-flat',
    meterTariffs: { 'hall-lighting': 'site-flat' },
    emissionFactors: [
      { id: 'east-grid', region: 'East China', kgCo2PerKWh: 0.58, year: 2023, source: 'publisher' },
    ],
    defaultEmissionFactor: 'east-grid',
    siteEmissionFactors: { 'test-court': 'east-grid' },
  };
  cfg.forecast = { extraHolidays: ['2025-12-31'], extraWorkdays: ['2025-12-27'] };
  cfg.savings = {
    baselines: [{ site: 'test-court', space: 'hall', from: '2025-01-01', to: '2025-06-30' }],
    randomized: [{ site: 'test-court', startDate: '2025-07-01' }],
  };
  return cfg;
}

type Json = Record<string | number, unknown>;
const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A copy of `cfg` with the value at `path` replaced, or, for a record key, the key renamed. */
function withValue(cfg: unknown, path: Path, value: string, isKey: boolean): unknown {
  const copy = structuredClone(cfg) as Json;
  const parent = path.slice(0, -1).reduce<Json>((o, seg) => o[seg] as Json, copy);
  const last = path.at(-1) as string | number;
  if (isKey) {
    parent[value] = parent[last];
    delete parent[last];
  } else parent[last] = value;
  return copy;
}

const scratch = tempDir();
afterAll(() => scratch.cleanup());
let files = 0;

/** What `quietwatt config check` prints for `cfg`, as the operator would see it. */
async function check(cfg: unknown): Promise<{ code: number; file: string; errors: string[] }> {
  const file = join(scratch.dir, `config-${++files}.yaml`);
  writeFileSync(file, stringify(cfg));
  const errors: string[] = [];
  const code = await configCheck(file, { log: () => {}, error: (l) => errors.push(l) });
  return { code, file, errors: errors.slice(0, -1) };
}

const firstFound = (field: StringField) => valuesAt(everyReference(), field.steps)[0];

describe('the marks on the string fields of the config schema', () => {
  it('mark every string field as free text, an id it declares, or a reference', () => {
    const unmarked = FIELDS.filter(
      (f) => [f.mark?.text, f.mark?.idOf, f.mark?.ref].filter(Boolean).length !== 1,
    );
    expect(
      unmarked.map((f) => f.pattern),
      'mark each with .meta({ text: true }), .meta({ idOf: kind }) or .meta({ ref: kind }) (src/config/schema/marks.ts)',
    ).toEqual([]);
  });

  it('find the string fields everywhere: lists, records, unions and wrappers', () => {
    const patterns = FIELDS.map((f) => f.pattern);
    for (const p of [
      'mqtt.url',
      'control.fireAlarm.activePayloads[]',
      'tariffs.meterTariffs.<key>',
      'tariffs.meterTariffs.<value>',
      'tariffs.tariffs[].seasons[].name',
      'sites[].spaces[].devices[].outputOptions.haModeCommandTopic',
    ])
      expect(patterns).toContain(p);
  });

  it('give every referenced kind ids to name: declared in the file or built in', () => {
    for (const field of REFS) {
      const kind = field.mark?.ref ?? 'site';
      const declared = FIELDS.some((f) => f.mark?.idOf === kind);
      expect(declared || (REFERENCE_KINDS[kind].builtIn ?? []).length > 0, field.pattern).toBe(true);
    }
  });

  it('scope references only by a sibling field that is itself a reference to the enclosing kind', () => {
    for (const field of REFS.filter((f) => f.mark?.scopedBy !== undefined)) {
      const sibling = FIELDS.find(
        (f) => f.pattern === field.pattern.replace(/[^.]+$/, field.mark?.scopedBy ?? ''),
      );
      expect(sibling?.mark?.ref, field.pattern).toBe(REFERENCE_KINDS[field.mark?.ref ?? 'site'].within);
    }
  });
});

describe('config check on every reference field', () => {
  it('the test config is valid and fills every reference and date field', async () => {
    expect((await check(everyReference())).errors).toEqual([]);
    for (const field of [...REFS, ...DATES])
      expect(firstFound(field), `give ${field.pattern} a value in everyReference()`).toBeDefined();
  });

  it.each(REFS.map((f) => [f.pattern, f] as const))(
    '%s: a dangling value is reported at its path, in the usual form',
    async (_pattern, field) => {
      const found = firstFound(field);
      if (!found) throw new Error(`no value at ${field.pattern}`);
      const isKey = field.steps.at(-1) === 'key';
      const path = isKey ? [...found.path.slice(0, -1), 'no-such-id'] : found.path;
      const { code, file, errors } = await check(
        withValue(everyReference(), found.path, 'no-such-id', isKey),
      );
      expect(code).toBe(1);
      expect(errors).toEqual([
        expect.stringMatching(
          new RegExp(
            `^${escapeRe(`${file}: ${formatPath(path)}: expected the id of `)}.* \\(known: .+\\), got "no-such-id" \\(line \\d+, column \\d+\\)$`,
          ),
        ),
      ]);
    },
  );
});

describe('config check on every date field', () => {
  const impossible = {
    date: ['2025-13-01', '2025-02-29', '2025-04-31', '2025-1-05'],
    datetime: ['2025-02-30T00:00:00+08:00', '2025-13-01T00:00:00Z'],
  };
  it.each(DATES.map((f) => [f.pattern, f] as const))(
    '%s: refuses days that do not exist',
    async (_p, field) => {
      const found = firstFound(field);
      if (!found) throw new Error(`no value at ${field.pattern}`);
      for (const bad of impossible[field.format as 'date' | 'datetime']) {
        const { errors, file } = await check(withValue(everyReference(), found.path, bad, false));
        expect(errors).toHaveLength(1);
        expect(errors[0]).toContain(`${file}: ${formatPath(found.path)}: expected a date`);
        expect(errors[0]).toContain(`got "${bad}"`);
      }
    },
  );

  it('accepts 29 February in a leap year', async () => {
    const cfg = everyReference();
    cfg.forecast = { extraHolidays: ['2024-02-29'] };
    expect((await check(cfg)).errors).toEqual([]);
  });
});

describe('reference errors', () => {
  async function errorsOf(edit: (cfg: ReturnType<typeof everyReference>) => void): Promise<string[]> {
    const cfg = everyReference();
    edit(cfg);
    const { errors, file } = await check(cfg);
    return errors.map((e) => e.replace(`${file}: `, '').replace(/ \(line \d+, column \d+\)$/, ''));
  }

  it('suggest the close id for a near miss', async () => {
    expect(
      await errorsOf((cfg) => {
        cfg.control = { spaces: [{ site: 'test-court', space: 'hal', mode: 'active' }] };
      }),
    ).toEqual([
      'control.spaces[0].space: expected the id of a space of site "test-court" (known: hall), got "hal"; did you mean "hall"?',
    ]);
  });

  it('name a mistyped record key as the value, with the suggestion', async () => {
    expect(
      await errorsOf((cfg) => {
        (cfg.tariffs as Json).meterTariffs = { 'hall-lightin': 'site-flat' };
      }),
    ).toEqual([
      'tariffs.meterTariffs.hall-lightin: expected the id of a meter (known: hall-lighting), got "hall-lightin"; did you mean "hall-lighting"?',
    ]);
  });

  it('look for a space in the named site only, and in every site when none is named', async () => {
    expect(
      await errorsOf((cfg) => {
        cfg.control = {
          spaces: [
            { site: 'second-court', space: 'hall', mode: 'active' },
            { space: 'gym', mode: 'active' },
          ],
        };
      }),
    ).toEqual([
      'control.spaces[0].space: expected the id of a space of site "second-court" (known: gym), got "hall"',
    ]);
  });

  it('report an unknown site once, without also failing the space it scopes', async () => {
    expect(
      await errorsOf((cfg) => {
        (cfg.savings as Json).baselines = [
          { site: 'test-cout', space: 'hall', from: '2025-01-01', to: '2025-02-01' },
        ];
      }),
    ).toEqual([
      'savings.baselines[0].site: expected the id of a site (known: test-court, second-court), got "test-cout"; did you mean "test-court"?',
    ]);
  });

  it('count built-in tariffs and emission factors, and list them', async () => {
    const errors = await errorsOf((cfg) => {
      cfg.tariffs = { defaultTariff: 'shanghai-tou-exampel', defaultEmissionFactor: 'cn-national-grid-2022' };
    });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /^tariffs\.defaultTariff: expected the id of a tariff \(known: cn-residential-combined-example, shanghai-tou-example\), got "shanghai-tou-exampel"; did you mean "shanghai-tou-example"\?$/,
    );
  });

  it('report a life-safety device naming a schedule once, by the life-safety rule', async () => {
    const errors = await errorsOf((cfg) => {
      const hall = (cfg.sites[0] as { spaces: Json[] }).spaces[0] as Json;
      (hall.devices as Json[]).push({
        id: 'fans',
        kind: 'co-ventilation',
        schedule: 'nope',
        ratedPowerW: 100,
      });
    });
    expect(errors).toEqual([
      'sites[0].spaces[0].devices[1].schedule: expected no schedule: co-ventilation is life-safety equipment, never controlled, got "nope"',
    ]);
  });
});

describe('other values accepted before and refused now', () => {
  async function pathsOf(edit: (cfg: ReturnType<typeof everyReference>) => void): Promise<string[]> {
    const cfg = everyReference();
    edit(cfg);
    const { errors, file } = await check(cfg);
    return errors.map((e) => e.slice(file.length + 2, e.indexOf(': ', file.length + 2)));
  }

  it('a baseline period that ends before it starts', async () => {
    expect(
      await pathsOf((cfg) => {
        (cfg.savings as Json).baselines = [{ site: 'test-court', from: '2025-06-01', to: '2025-05-31' }];
      }),
    ).toEqual(['savings.baselines[0].to']);
  });

  it('a second randomized design for a site, and a space listed twice in control.spaces', async () => {
    expect(
      await pathsOf((cfg) => {
        (cfg.savings as Json).randomized = [
          { site: 'test-court', startDate: '2025-07-01' },
          { site: 'test-court', startDate: '2026-01-01' },
        ];
        cfg.control = {
          spaces: [
            { site: 'test-court', space: 'hall', mode: 'active' },
            { site: 'test-court', space: 'hall', mode: 'off' },
            { space: 'hall', mode: 'off' },
          ],
        };
      }),
    ).toEqual(['control.spaces[1].space', 'savings.randomized[1].site']);
  });

  it('a day that is both an extra holiday and an extra workday', async () => {
    expect(
      await pathsOf((cfg) => {
        cfg.forecast = { extraHolidays: ['2025-10-11'], extraWorkdays: ['2025-10-11'] };
      }),
    ).toEqual(['forecast.extraWorkdays[0]']);
  });

  it('a tariff or emission factor id used twice or taken by a built-in one', async () => {
    expect(
      await pathsOf((cfg) => {
        const t = cfg.tariffs as { tariffs: Json[]; emissionFactors: Json[] };
        t.tariffs.push({ ...t.tariffs[0], id: 'shanghai-tou-example' });
        t.emissionFactors.push({ ...t.emissionFactors[0] });
      }),
    ).toEqual(['tariffs.tariffs[1].id', 'tariffs.emissionFactors[1].id']);
  });
});
