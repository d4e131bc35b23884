import type { z } from 'zod';
import { type DeviceOutput, isLifeSafetyKind, OUTPUT_KINDS } from '../../domain/devices/kinds.js';
import { EMISSION_FACTOR_PRESETS, TARIFF_PRESETS } from '../../domain/tariff/presets.js';
import { type StringField, stringFields } from '../schema-walk.js';
import { IsoDate } from './common.js';
import { article, CrossIssues, formatPath, type Path } from './issues.js';
import { checkReferences } from './references.js';

export { formatPath } from './issues.js';

/**
 * Rules that span fields, in words: the config reference lists them, and `crossChecks` enforces them.
 * They run even when other fields are invalid (the input is then only partly parsed), so that one
 * `config check` reports every problem at once; every access below is therefore defensive.
 */
export const CROSS_FIELD_RULES: readonly string[] = [
  'Site ids are unique; space ids are unique within their site.',
  'Meter, sensor and device ids share one namespace and are unique across the whole config.',
  'Schedule ids are unique.',
  'Tariff ids and emission factor ids are unique, and differ from the built-in ones.',
  'Every reference names an id that exists (see [References](#references)): a space of the named `site` when one is given, of any site otherwise; built-in tariffs and emission factors count. A near miss gets a "did you mean".',
  'A meter topic is used by no other meter or sensor; a sensor topic may serve several sensor kinds (one multi-sensor), but each kind once.',
  'A device `schedule` names an existing schedule of the matching kind: lighting devices a lighting schedule, hvac devices an hvac schedule.',
  'Life-safety devices (emergency-lighting, co-ventilation, smoke-ventilation) have no `schedule` and no command `topic`: QuietWatt never controls them.',
  'Device limits are ordered: minLevelPct <= maxLevelPct, minSetpointC <= maxSetpointC.',
  'A device `idlePowerW` is given for hvac devices only, and is below their `ratedPowerW`.',
  'A device `output` can carry its kind: zigbee2mqtt and tasmota drive lighting only; native and home-assistant drive lighting and hvac.',
  'HVAC schedule blocks in cool, heat or auto mode give a `setpointC`; no block starts and ends at the same time.',
  '`mqtt.tls` is only given for mqtts://, wss:// or ssl:// broker URLs.',
  'Dates are days that exist (YYYY-MM-DD: no 2025-13-01 or 2025-02-29); a baseline period does not end before it starts; no day is both in `forecast.extraHolidays` and `forecast.extraWorkdays`.',
  '`control.spaces` lists each space (per `site`) once, and `savings.randomized` each site once: a later entry would never apply.',
];

type Ctx = z.core.$RefinementCtx<unknown>;
type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const items = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
const at = (v: unknown, key: string): unknown => (isObj(v) ? v[key] : undefined);
const isDate = (v: string): boolean => IsoDate.safeParse(v).success;

/** Records first use of each key and reports every later use. */
class UniqueIndex {
  private readonly seen = new Map<string, Path | string>();
  constructor(
    private readonly issues: CrossIssues,
    private readonly what: string,
  ) {}
  /** Keys taken before any use in the file, e.g. built-in ids; `where` says by what. */
  reserve(keys: readonly string[], where: string): this {
    for (const k of keys) this.seen.set(k, where);
    return this;
  }
  add(key: string | undefined, path: Path, shown: unknown = key): void {
    if (key === undefined) return;
    const first = this.seen.get(key);
    if (first === undefined) this.seen.set(key, path);
    else {
      const where = typeof first === 'string' ? first : `at ${formatPath(first)}`;
      this.issues.add(path, shown, `${this.what} (already used ${where})`);
    }
  }
}

interface Located {
  value: Obj;
  path: Path;
}

function eachSpace(cfg: Obj, fn: (site: Located, space: Located) => void): void {
  items(cfg.sites).forEach((site, si) => {
    if (!isObj(site)) return;
    items(site.spaces).forEach((space, pi) => {
      if (isObj(space))
        fn({ value: site, path: ['sites', si] }, { value: space, path: ['sites', si, 'spaces', pi] });
    });
  });
}

function eachIn(space: Located, key: 'meters' | 'sensors' | 'devices', fn: (item: Located) => void): void {
  items(space.value[key]).forEach((item, i) => {
    if (isObj(item)) fn({ value: item, path: [...space.path, key, i] });
  });
}

function checkIds(cfg: Obj, issues: CrossIssues): void {
  const sites = new UniqueIndex(issues, 'a site id unique among sites');
  items(cfg.sites).forEach((site, si) => {
    if (!isObj(site)) return;
    sites.add(str(site.id), ['sites', si, 'id']);
    const spaces = new UniqueIndex(issues, 'a space id unique within its site');
    items(site.spaces).forEach((space, pi) => {
      if (isObj(space)) spaces.add(str(space.id), ['sites', si, 'spaces', pi, 'id']);
    });
  });
  const things = new UniqueIndex(issues, 'a meter/sensor/device id unique across the whole config');
  eachSpace(cfg, (_site, space) => {
    for (const key of ['meters', 'sensors', 'devices'] as const) {
      eachIn(space, key, (item) => things.add(str(item.value.id), [...item.path, 'id']));
    }
  });
  const schedules = new UniqueIndex(issues, 'a schedule id unique among schedules');
  items(cfg.schedules).forEach((s, i) => {
    if (isObj(s)) schedules.add(str(s.id), ['schedules', i, 'id']);
  });
  const tariffs = new UniqueIndex(issues, 'a tariff id unique among tariffs').reserve(
    TARIFF_PRESETS.map((t) => t.id),
    'by a built-in tariff',
  );
  items(at(cfg.tariffs, 'tariffs')).forEach((t, i) => {
    tariffs.add(str(at(t, 'id')), ['tariffs', 'tariffs', i, 'id']);
  });
  const factors = new UniqueIndex(issues, 'an emission factor id unique among emission factors').reserve(
    EMISSION_FACTOR_PRESETS.map((f) => f.id),
    'by a built-in emission factor',
  );
  items(at(cfg.tariffs, 'emissionFactors')).forEach((f, i) => {
    factors.add(str(at(f, 'id')), ['tariffs', 'emissionFactors', i, 'id']);
  });
}

function checkTopics(cfg: Obj, issues: CrossIssues): void {
  // topic -> where a meter uses it, and topic -> where any sensor uses it.
  const meterTopics = new Map<string, Path>();
  const sensorTopics = new Map<string, Path>();
  const sensorKinds = new UniqueIndex(issues, 'one sensor of each kind per topic');
  const meters: Located[] = [];
  const sensors: { topic: string; kind: string; path: Path }[] = [];
  eachSpace(cfg, (_site, space) => {
    eachIn(space, 'meters', (m) => meters.push(m));
    eachIn(space, 'sensors', (s) => {
      const topic = str(s.value.topic);
      if (topic !== undefined)
        sensors.push({ topic, kind: str(s.value.kind) ?? '?', path: [...s.path, 'topic'] });
    });
  });
  items(cfg.sites).forEach((site, si) => {
    const topic = isObj(site) ? str(site.outdoorTemperatureTopic) : undefined;
    if (topic !== undefined)
      sensors.push({ topic, kind: 'outdoor-temperature', path: ['sites', si, 'outdoorTemperatureTopic'] });
  });
  for (const s of sensors) {
    sensorKinds.add(`${s.kind} ${s.topic}`, s.path, s.topic);
    if (!sensorTopics.has(s.topic)) sensorTopics.set(s.topic, s.path);
  }
  for (const m of meters) {
    const topic = str(m.value.topic);
    if (topic === undefined) continue;
    const path = [...m.path, 'topic'];
    const first = meterTopics.get(topic) ?? sensorTopics.get(topic);
    if (first)
      issues.add(
        path,
        topic,
        `a topic used by no other meter or sensor (already used at ${formatPath(first)})`,
      );
    else meterTopics.set(topic, path);
  }
}

function checkDevices(cfg: Obj, issues: CrossIssues): void {
  const kindOf = new Map<string, unknown>();
  for (const s of items(cfg.schedules)) {
    if (isObj(s) && typeof s.id === 'string') kindOf.set(s.id, s.kind);
  }
  eachSpace(cfg, (_site, space) => {
    eachIn(space, 'devices', ({ value: d, path }) => {
      const kind = str(d.kind);
      const schedule = str(d.schedule);
      if (kind !== undefined && isLifeSafetyKind(kind)) {
        if (d.schedule !== undefined)
          issues.add(
            [...path, 'schedule'],
            d.schedule,
            `no schedule: ${kind} is life-safety equipment, never controlled`,
          );
        if (d.topic !== undefined)
          issues.add(
            [...path, 'topic'],
            d.topic,
            `no command topic: ${kind} is life-safety equipment, never controlled`,
          );
      } else if (schedule !== undefined && (kind === 'lighting' || kind === 'hvac')) {
        // A schedule that does not exist is a dangling reference (references.ts); here only its kind.
        const target = kindOf.get(schedule);
        if ((target === 'lighting' || target === 'hvac') && target !== kind) {
          issues.add(
            [...path, 'schedule'],
            schedule,
            `${article(kind)} ${kind} schedule for ${article(kind)} ${kind} device, not ${article(String(target))} ${String(target)} schedule`,
          );
        }
      }
      const output = str(d.output);
      if ((kind === 'lighting' || kind === 'hvac') && output !== undefined && output in OUTPUT_KINDS) {
        const carries = OUTPUT_KINDS[output as DeviceOutput];
        if (!carries.includes(kind))
          issues.add(
            [...path, 'output'],
            output,
            `an output that can carry ${article(kind)} ${kind} device (${output} drives ${carries.join(' and ')} only; use native or home-assistant)`,
          );
      }
      checkIdlePower(d, kind, path, issues);
      const limits = isObj(d.limits) ? d.limits : {};
      for (const [lo, hi] of [
        ['minLevelPct', 'maxLevelPct'],
        ['minSetpointC', 'maxSetpointC'],
      ] as const) {
        const a = num(limits[lo]);
        const b = num(limits[hi]);
        if (a !== undefined && b !== undefined && a > b)
          issues.add([...path, 'limits', lo], a, `${lo} no greater than ${hi} (${b})`);
      }
    });
  });
}

function checkIdlePower(d: Obj, kind: string | undefined, path: Path, issues: CrossIssues): void {
  const idle = num(d.idlePowerW);
  if (idle === undefined) return;
  const rated = num(d.ratedPowerW);
  if (kind !== 'hvac')
    issues.add(
      [...path, 'idlePowerW'],
      idle,
      `no idlePowerW: only hvac devices draw it, not ${kind ?? 'this kind'}`,
    );
  else if (rated !== undefined && idle >= rated)
    issues.add([...path, 'idlePowerW'], idle, `an idlePowerW below the device's ratedPowerW (${rated})`);
}

function checkSchedules(cfg: Obj, issues: CrossIssues): void {
  items(cfg.schedules).forEach((s, si) => {
    if (!isObj(s)) return;
    items(s.blocks).forEach((b, bi) => {
      if (!isObj(b)) return;
      const path: Path = ['schedules', si, 'blocks', bi];
      if (typeof b.from === 'string' && b.from === b.to)
        issues.add([...path, 'to'], b.to, 'an end time different from the start time');
      const mode = str(b.mode);
      if (
        s.kind === 'hvac' &&
        (mode === 'cool' || mode === 'heat' || mode === 'auto') &&
        b.setpointC === undefined
      )
        issues.add([...path, 'setpointC'], undefined, `a setpointC (°C) for mode ${mode}`);
    });
  });
}

function checkMqtt(cfg: Obj, issues: CrossIssues): void {
  const mqtt = isObj(cfg.mqtt) ? cfg.mqtt : undefined;
  if (!mqtt || mqtt.tls === undefined) return;
  const url = str(mqtt.url) ?? 'embedded';
  if (!/^(mqtts|wss|ssl):\/\//.test(url))
    issues.add(
      ['mqtt', 'tls'],
      mqtt.tls,
      `tls only with an mqtts://, wss:// or ssl:// url (url is "${url}")`,
    );
}

/** Dates in order, each listed once where a second listing would contradict or never apply. */
function checkAnalytics(cfg: Obj, issues: CrossIssues): void {
  items(at(cfg.savings, 'baselines')).forEach((b, i) => {
    const from = str(at(b, 'from'));
    const to = str(at(b, 'to'));
    // Valid ISO dates compare as strings; invalid ones are the schema's to report.
    if (from !== undefined && to !== undefined && isDate(from) && isDate(to) && to < from)
      issues.add(['savings', 'baselines', i, 'to'], to, `a last day on or after from (${from})`);
  });
  const designs = new UniqueIndex(issues, 'one randomized design per site');
  items(at(cfg.savings, 'randomized')).forEach((r, i) => {
    designs.add(str(at(r, 'site')), ['savings', 'randomized', i, 'site']);
  });
  const entries = new UniqueIndex(issues, 'a space listed once in control.spaces');
  items(at(cfg.control, 'spaces')).forEach((e, i) => {
    const space = str(at(e, 'space'));
    const site = str(at(e, 'site')) ?? '';
    if (space !== undefined) entries.add(`${site}/${space}`, ['control', 'spaces', i, 'space'], space);
  });
  const holidays = new Set(items(at(cfg.forecast, 'extraHolidays')).filter((d) => typeof d === 'string'));
  items(at(cfg.forecast, 'extraWorkdays')).forEach((d, i) => {
    if (typeof d === 'string' && holidays.has(d))
      issues.add(['forecast', 'extraWorkdays', i], d, 'a day not also in forecast.extraHolidays');
  });
}

const FIELDS = new WeakMap<z.ZodType, readonly StringField[]>();

/**
 * Cross-field checks over a (possibly partly invalid) config; see CROSS_FIELD_RULES. `schema` is the
 * whole config schema: its marked reference fields say what checkReferences looks at.
 */
export function crossChecks(cfg: unknown, ctx: Ctx, schema: z.ZodType): void {
  if (!isObj(cfg)) return;
  const issues = new CrossIssues(ctx);
  checkIds(cfg, issues);
  checkTopics(cfg, issues);
  checkDevices(cfg, issues);
  checkSchedules(cfg, issues);
  checkMqtt(cfg, issues);
  checkAnalytics(cfg, issues);
  const fields = FIELDS.get(schema) ?? stringFields(schema);
  FIELDS.set(schema, fields);
  // Last, so that a value another rule reported (a life-safety device's schedule) is not reported twice.
  checkReferences(cfg, fields, issues);
}
