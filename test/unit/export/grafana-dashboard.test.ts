import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SENSOR_KINDS } from '../../../src/config/schema/sensor.js';
import { type Measurement, SERIES_SCHEMA } from '../../../src/domain/export/series-schema.js';

const DIR = new URL('../../../deploy/grafana/', import.meta.url);
const dashboard = JSON.parse(readFileSync(new URL('dashboards/quietwatt.json', DIR), 'utf8')) as Dashboard;
const datasources = parse(
  readFileSync(new URL('provisioning/datasources/quietwatt-influxdb.yaml', DIR), 'utf8'),
) as { datasources: { uid: string; type: string; jsonData: { version: string } }[] };

interface Target {
  readonly query: string;
  readonly datasource?: { readonly uid: string };
}
interface Panel {
  readonly type: string;
  readonly title: string;
  readonly datasource?: { readonly uid: string };
  readonly targets?: readonly Target[];
}
interface Variable {
  readonly name: string;
  readonly type: string;
  readonly query: string;
}
interface Dashboard {
  readonly panels: readonly Panel[];
  readonly templating: { readonly list: readonly Variable[] };
}

/** Known tag values where the sink writes a closed set. */
const TAG_VALUES: Partial<Record<Measurement, Record<string, readonly string[]>>> = {
  savings: { kind: ['measured', 'estimated'] },
  sensor: { kind: SENSOR_KINDS },
};

const all = (re: RegExp, text: string): string[] => [...text.matchAll(re)].map((m) => m[1] ?? '');
const listArgs = (name: string, text: string): string[] =>
  all(new RegExp(`${name}:\\s*\\[([^\\]]*)\\]`, 'g'), text).flatMap((l) => all(/"([^"]+)"/g, l));

/** Every measurement, field, tag and tag value a Flux query names, checked against SERIES_SCHEMA. */
function problems(where: string, flux: string): string[] {
  const out: string[] = [];
  const measurements = [...new Set(all(/r\._measurement\s*==\s*"([^"]+)"/g, flux))];
  if (measurements.length !== 1) return [`${where}: names ${measurements.length} measurements, expected 1`];
  const name = measurements[0] as string;
  if (!Object.hasOwn(SERIES_SCHEMA, name))
    return [`${where}: measurement ${name} is not written by the sink`];
  const m = name as Measurement;
  const tags: readonly string[] = SERIES_SCHEMA[m].tags;
  const fields = Object.keys(SERIES_SCHEMA[m].fields);
  for (const f of all(/r\._field\s*==\s*"([^"]+)"/g, flux))
    if (!fields.includes(f)) out.push(`${where}: ${m} has no field ${f}`);
  // After a pivot, fields are columns too.
  const columns = flux.includes('pivot(') ? [...tags, ...fields] : tags;
  const named = [
    ...all(/\br\.([A-Za-z][A-Za-z0-9_]*)/g, flux),
    ...['columns', 'rowKey', 'columnKey'].flatMap((arg) => listArgs(arg, flux)),
    ...all(/\btag:\s*"([^"]+)"/g, flux),
  ].filter((c) => !c.startsWith('_'));
  for (const c of named) if (!columns.includes(c)) out.push(`${where}: ${m} has no tag ${c}`);
  for (const [tag, values] of Object.entries(TAG_VALUES[m] ?? {}))
    for (const v of all(new RegExp(`r\\.${tag}\\s*==\\s*"([^"$]+)"`, 'g'), flux))
      if (!values.includes(v)) out.push(`${where}: ${m}.${tag} is never "${v}"`);
  return out;
}

const queries = (): { where: string; flux: string }[] => [
  ...dashboard.panels.flatMap((p) =>
    (p.targets ?? []).map((t) => ({ where: `panel "${p.title}"`, flux: t.query })),
  ),
  ...dashboard.templating.list
    .filter((v) => v.type === 'query')
    .map((v) => ({ where: `variable ${v.name}`, flux: v.query })),
];

describe('the Grafana dashboard', () => {
  it('queries only measurements, fields and tags that the sink writes', () => {
    const found = queries();
    expect(found.length).toBeGreaterThan(10);
    expect(found.flatMap((q) => problems(q.where, q.flux))).toEqual([]);
  });

  it('covers savings, load against forecast and baseline, setpoints with acknowledgements, and rejections', () => {
    const text = queries()
      .map((q) => q.flux)
      .join('\n');
    for (const needle of [
      '"savings" and r._field == "avoided_kwh"',
      '"energy" and r._field == "kwh"',
      '"forecast" and r._field == "kwh"',
      '"savings" and r._field == "baseline_kwh"',
      '"setpoint" and r._field == "level_pct"',
      'r._field == "acknowledged"',
      '"rejection" and r._field == "total"',
    ])
      expect(text).toContain(needle);
  });

  it('finds the check wrong where it is wrong', () => {
    expect(problems('x', 'filter(fn: (r) => r._measurement == "savings" and r._field == "avoided")')).toEqual(
      ['x: savings has no field avoided'],
    );
    expect(problems('x', 'filter(fn: (r) => r._measurement == "energy" and r.device == "a")')).toEqual([
      'x: energy has no tag device',
    ]);
    expect(problems('x', 'filter(fn: (r) => r._measurement == "savings" and r.kind == "shadow")')).toEqual([
      'x: savings.kind is never "shadow"',
    ]);
  });

  it('uses the provisioned Flux data source and only variables it defines', () => {
    const [source] = datasources.datasources;
    expect(source).toMatchObject({ type: 'influxdb', jsonData: { version: 'Flux' } });
    const defined = new Set(dashboard.templating.list.map((v) => v.name));
    for (const p of dashboard.panels.filter((x) => x.type !== 'row')) {
      expect(p.datasource?.uid, p.title).toBe(source?.uid);
      for (const t of p.targets ?? []) {
        expect(t.datasource?.uid, p.title).toBe(source?.uid);
        for (const v of all(/\$\{(\w+)\}/g, t.query))
          expect(defined.has(v), `${p.title}: \${${v}}`).toBe(true);
      }
    }
  });
});
