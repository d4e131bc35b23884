import type { z } from 'zod';
import { type DeviceOutput, isLifeSafetyKind, OUTPUT_KINDS } from './device.js';

/**
 * Rules that span fields, in words: the config reference lists them, and `crossChecks` enforces them.
 * They run even when other fields are invalid (the input is then only partly parsed), so that one
 * `config check` reports every problem at once; every access below is therefore defensive.
 */
export const CROSS_FIELD_RULES: readonly string[] = [
  'Site ids are unique; space ids are unique within their site.',
  'Meter, sensor and device ids share one namespace and are unique across the whole config.',
  'Schedule ids are unique.',
  'A meter topic is used by no other meter or sensor; a sensor topic may serve several sensor kinds (one multi-sensor), but each kind once.',
  'A device `schedule` names an existing schedule of the matching kind: lighting devices a lighting schedule, hvac devices an hvac schedule.',
  'Life-safety devices (emergency-lighting, co-ventilation, smoke-ventilation) have no `schedule` and no command `topic`: QuietWatt never controls them.',
  'Device limits are ordered: minLevelPct <= maxLevelPct, minSetpointC <= maxSetpointC.',
  'A device `output` can carry its kind: zigbee2mqtt and tasmota drive lighting only; native and home-assistant drive lighting and hvac.',
  'HVAC schedule blocks in cool, heat or auto mode give a `setpointC`; no block starts and ends at the same time.',
  '`mqtt.tls` is only given for mqtts://, wss:// or ssl:// broker URLs.',
];

type Path = (string | number)[];
type Ctx = z.core.$RefinementCtx<unknown>;
type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const items = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const article = (word: string): string => (/^[aeiouh]/.test(word) ? 'an' : 'a');
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

/** Renders a path the way errors show it, e.g. sites[0].spaces[2].id. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? String(seg) : `.${String(seg)}`;
  }
  return out;
}

function report(ctx: Ctx, path: Path, input: unknown, message: string): void {
  ctx.addIssue({ code: 'custom', path, input, message });
}

/** Records first use of each key and reports every later use. */
class UniqueIndex {
  private readonly seen = new Map<string, Path>();
  constructor(
    private readonly ctx: Ctx,
    private readonly what: string,
  ) {}
  add(key: string | undefined, path: Path, shown: unknown = key): void {
    if (key === undefined) return;
    const first = this.seen.get(key);
    if (first) report(this.ctx, path, shown, `${this.what} (already used at ${formatPath(first)})`);
    else this.seen.set(key, path);
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

function checkIds(cfg: Obj, ctx: Ctx): void {
  const sites = new UniqueIndex(ctx, 'a site id unique among sites');
  items(cfg.sites).forEach((site, si) => {
    if (!isObj(site)) return;
    sites.add(str(site.id), ['sites', si, 'id']);
    const spaces = new UniqueIndex(ctx, 'a space id unique within its site');
    items(site.spaces).forEach((space, pi) => {
      if (isObj(space)) spaces.add(str(space.id), ['sites', si, 'spaces', pi, 'id']);
    });
  });
  const things = new UniqueIndex(ctx, 'a meter/sensor/device id unique across the whole config');
  eachSpace(cfg, (_site, space) => {
    for (const key of ['meters', 'sensors', 'devices'] as const) {
      eachIn(space, key, (item) => things.add(str(item.value.id), [...item.path, 'id']));
    }
  });
  const schedules = new UniqueIndex(ctx, 'a schedule id unique among schedules');
  items(cfg.schedules).forEach((s, i) => {
    if (isObj(s)) schedules.add(str(s.id), ['schedules', i, 'id']);
  });
}

function checkTopics(cfg: Obj, ctx: Ctx): void {
  // topic -> where a meter uses it, and topic -> where any sensor uses it.
  const meterTopics = new Map<string, Path>();
  const sensorTopics = new Map<string, Path>();
  const sensorKinds = new UniqueIndex(ctx, 'one sensor of each kind per topic');
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
      report(
        ctx,
        path,
        topic,
        `a topic used by no other meter or sensor (already used at ${formatPath(first)})`,
      );
    else meterTopics.set(topic, path);
  }
}

function checkDevices(cfg: Obj, ctx: Ctx): void {
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
          report(
            ctx,
            [...path, 'schedule'],
            d.schedule,
            `no schedule: ${kind} is life-safety equipment, never controlled`,
          );
        if (d.topic !== undefined)
          report(
            ctx,
            [...path, 'topic'],
            d.topic,
            `no command topic: ${kind} is life-safety equipment, never controlled`,
          );
      } else if (schedule !== undefined && (kind === 'lighting' || kind === 'hvac')) {
        const target = kindOf.get(schedule);
        if (!kindOf.has(schedule)) {
          const known = [...kindOf].filter(([, k]) => k === kind).map(([id]) => id);
          report(
            ctx,
            [...path, 'schedule'],
            schedule,
            `the id of ${article(kind)} ${kind} schedule (known: ${known.join(', ') || 'none'})`,
          );
        } else if ((target === 'lighting' || target === 'hvac') && target !== kind) {
          report(
            ctx,
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
          report(
            ctx,
            [...path, 'output'],
            output,
            `an output that can carry ${article(kind)} ${kind} device (${output} drives ${carries.join(' and ')} only; use native or home-assistant)`,
          );
      }
      const limits = isObj(d.limits) ? d.limits : {};
      for (const [lo, hi] of [
        ['minLevelPct', 'maxLevelPct'],
        ['minSetpointC', 'maxSetpointC'],
      ] as const) {
        const a = num(limits[lo]);
        const b = num(limits[hi]);
        if (a !== undefined && b !== undefined && a > b)
          report(ctx, [...path, 'limits', lo], a, `${lo} no greater than ${hi} (${b})`);
      }
    });
  });
}

function checkSchedules(cfg: Obj, ctx: Ctx): void {
  items(cfg.schedules).forEach((s, si) => {
    if (!isObj(s)) return;
    items(s.blocks).forEach((b, bi) => {
      if (!isObj(b)) return;
      const path: Path = ['schedules', si, 'blocks', bi];
      if (typeof b.from === 'string' && b.from === b.to)
        report(ctx, [...path, 'to'], b.to, 'an end time different from the start time');
      const mode = str(b.mode);
      if (
        s.kind === 'hvac' &&
        (mode === 'cool' || mode === 'heat' || mode === 'auto') &&
        b.setpointC === undefined
      )
        report(ctx, [...path, 'setpointC'], undefined, `a setpointC (°C) for mode ${mode}`);
    });
  });
}

function checkMqtt(cfg: Obj, ctx: Ctx): void {
  const mqtt = isObj(cfg.mqtt) ? cfg.mqtt : undefined;
  if (!mqtt || mqtt.tls === undefined) return;
  const url = str(mqtt.url) ?? 'embedded';
  if (!/^(mqtts|wss|ssl):\/\//.test(url))
    report(
      ctx,
      ['mqtt', 'tls'],
      mqtt.tls,
      `tls only with an mqtts://, wss:// or ssl:// url (url is "${url}")`,
    );
}

/** Cross-field checks over a (possibly partly invalid) config; see CROSS_FIELD_RULES. */
export function crossChecks(cfg: unknown, ctx: Ctx): void {
  if (!isObj(cfg)) return;
  checkIds(cfg, ctx);
  checkTopics(cfg, ctx);
  checkDevices(cfg, ctx);
  checkSchedules(cfg, ctx);
  checkMqtt(cfg, ctx);
}
