import { spaceTypeControlOf } from '../domain/control/space-type-rules.js';
import type { SpaceType } from '../domain/energy.js';
import { topicMatches } from '../domain/messaging/topic-filter.js';
import type { QuietWattConfig } from './schema/index.js';
import { formatPath, type Path } from './schema/issues.js';

/**
 * What `config check` warns about, in words: the config is valid, but the service will not do what
 * the file seems to ask. The config reference lists them, and `configWarnings` finds them.
 */
export const WARNING_RULES: readonly string[] = [
  "An hvac schedule block (or a device `fallback`) asks for a cooling setpoint colder than the cooling setpoint limit (`coolSetpointMinC`, 26 °C by default) or a heating setpoint warmer than the heating setpoint limit (`heatSetpointMaxC`, 20 °C by default) of a space that runs it (`control.comfort`, or `control.spaceTypes.<type>.comfort`). QuietWatt never sends a setpoint beyond the limit: it clamps the schedule to the limit in commissioning and whenever it hands a device back, and plans no deeper, pre-cooling and pre-heating included. An auto block counts with its dead band (setpoint - 1 °C heating, + 1 °C cooling). To keep the schedule's own setpoint, lower the limit.",
  'A covering filter (`mqtt.coveringFilters`) takes no topic of the config: the broker delivers everything published under it, and the service drops all of it. A filter with a typo, or one left from a site that moved to another instance, does this.',
];

/** A valid config that will not behave as written: where, and what the service will do instead. */
export interface ConfigWarning {
  /** Path in `schedules[0].blocks[1].setpointC` form. */
  readonly path: string;
  readonly message: string;
}

type Side = 'cool' | 'heat';
interface SpaceUse {
  readonly key: string;
  readonly type: SpaceType;
}

const fmtC = (c: number): string => `${Math.round(c * 10) / 10} °C`;

/** The setpoints a block or fallback asks for per side; an auto setpoint becomes a 2 K dead band. */
function askedSetpoints(mode: string, setpointC: number | undefined): [Side, number][] {
  if (setpointC === undefined) return [];
  if (mode === 'cool') return [['cool', setpointC]];
  if (mode === 'heat') return [['heat', setpointC]];
  if (mode === 'auto')
    return [
      ['heat', setpointC - 1],
      ['cool', setpointC + 1],
    ];
  return [];
}

/** The setpoint limit of one side for a space type, and the field that sets it. */
function limitOf(config: QuietWattConfig, type: SpaceType, side: Side): { limitC: number; field: string } {
  const comfort = spaceTypeControlOf(config.control, type).comfort;
  const base = config.control.spaceTypes[type]?.comfort
    ? `control.spaceTypes.${type}.comfort`
    : 'control.comfort';
  return side === 'cool'
    ? { limitC: comfort.coolSetpointMinC, field: `${base}.coolSetpointMinC` }
    : { limitC: comfort.heatSetpointMaxC, field: `${base}.heatSetpointMaxC` };
}

/**
 * One warning per setpoint beyond a limit, listing the spaces that share that limit (spaces of types
 * with different limits get their own warning).
 */
function beyondLimits(
  config: QuietWattConfig,
  path: Path,
  what: string,
  mode: string,
  setpointC: number | undefined,
  spaces: readonly SpaceUse[],
): ConfigWarning[] {
  const out: ConfigWarning[] = [];
  for (const [side, askedC] of askedSetpoints(mode, setpointC)) {
    const groups = new Map<string, { limitC: number; field: string; keys: string[] }>();
    for (const s of spaces) {
      const { limitC, field } = limitOf(config, s.type, side);
      const beyond = side === 'cool' ? askedC < limitC : askedC > limitC;
      if (!beyond) continue;
      const g = groups.get(field) ?? { limitC, field, keys: [] };
      g.keys.push(s.key);
      groups.set(field, g);
    }
    for (const g of groups.values()) {
      const words =
        side === 'cool'
          ? { setpoint: 'cooling setpoint', than: 'colder', deeper: 'below' }
          : { setpoint: 'heating setpoint', than: 'warmer', deeper: 'above' };
      const auto = mode === 'auto' ? ` (auto ${fmtC(setpointC ?? askedC)}: its ${side} side)` : '';
      out.push({
        path: formatPath([...path, 'setpointC']),
        message:
          `${what} asks for a ${words.setpoint} of ${fmtC(askedC)}${auto}, ${words.than} than the ` +
          `${words.setpoint} limit of ${fmtC(g.limitC)} (${g.field}) of ${g.keys.join(', ')}: QuietWatt ` +
          `never sends a ${words.setpoint} ${words.deeper} ${fmtC(g.limitC)}, so it clamps ${fmtC(askedC)} ` +
          `to ${fmtC(g.limitC)} in commissioning and whenever it hands the devices back, and plans no ` +
          `deeper (pre-cooling and pre-heating included); to keep ${fmtC(askedC)}, lower ${g.field}`,
      });
    }
  }
  return out;
}

/** Spaces whose hvac devices run each schedule (a space once per schedule). */
function scheduleUsers(config: QuietWattConfig): Map<string, SpaceUse[]> {
  const users = new Map<string, SpaceUse[]>();
  for (const site of config.sites)
    for (const space of site.spaces) {
      const ids = new Set(
        space.devices.flatMap((d) => (d.kind === 'hvac' && d.schedule !== undefined ? [d.schedule] : [])),
      );
      for (const id of ids)
        users.set(id, [...(users.get(id) ?? []), { key: `${site.id}/${space.id}`, type: space.type }]);
    }
  return users;
}

/** Setpoints of hvac schedules and device fallbacks that the setpoint limits will clamp. */
export function scheduleLimitWarnings(config: QuietWattConfig): ConfigWarning[] {
  const users = scheduleUsers(config);
  const out: ConfigWarning[] = [];
  config.schedules.forEach((schedule, si) => {
    if (schedule.kind !== 'hvac') return;
    const spaces = users.get(schedule.id) ?? [];
    if (spaces.length === 0) return;
    schedule.blocks.forEach((b, bi) => {
      const what = `schedule "${schedule.id}", block ${b.from}-${b.to} (${b.mode})`;
      out.push(...beyondLimits(config, ['schedules', si, 'blocks', bi], what, b.mode, b.setpointC, spaces));
    });
  });
  config.sites.forEach((site, si) => {
    site.spaces.forEach((space, pi) => {
      space.devices.forEach((d, di) => {
        // A fallback applies only to a device without a schedule.
        const f = d.fallback;
        if (d.kind !== 'hvac' || d.schedule !== undefined || f === undefined || !('mode' in f)) return;
        const path: Path = ['sites', si, 'spaces', pi, 'devices', di, 'fallback'];
        const use = [{ key: `${site.id}/${space.id}`, type: space.type }];
        const what = `the fallback of device "${d.id}" (${f.mode})`;
        out.push(...beyondLimits(config, path, what, f.mode, f.setpointC, use));
      });
    });
  });
  return out;
}

/**
 * Every topic under the sites: fields named `topic` or `…Topic` (meters, sensors, devices and their
 * `stateTopic`, a site's `outdoorTemperatureTopic` and `outdoorForecastTopic`).
 */
function configuredTopics(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) configuredTopics(v, out);
  else if (value !== null && typeof value === 'object')
    for (const [key, v] of Object.entries(value)) {
      if ((key === 'topic' || key.endsWith('Topic')) && typeof v === 'string') out.push(v);
      else configuredTopics(v, out);
    }
  return out;
}

function unusedCoveringFilters(config: QuietWattConfig): ConfigWarning[] {
  const filters = config.mqtt.coveringFilters;
  if (filters.length === 0) return [];
  const topics = configuredTopics(config.sites);
  return filters.flatMap((filter, i) =>
    topics.some((t) => topicMatches(filter, t))
      ? []
      : [
          {
            path: formatPath(['mqtt', 'coveringFilters', i]),
            message: `covering filter "${filter}" takes no meter, sensor or device topic of this config: the broker will deliver everything under it and the service will drop it all`,
          },
        ],
  );
}

/** Every warning about a valid config (see WARNING_RULES). */
export function configWarnings(config: QuietWattConfig): ConfigWarning[] {
  return [...scheduleLimitWarnings(config), ...unusedCoveringFilters(config)];
}
