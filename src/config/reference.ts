import { z } from 'zod';
import { CONFIG_ERROR_CODES } from './errors.js';
import { LIVE_RELOAD, RESTART_REQUIRED } from './restart-required.js';
import { CROSS_FIELD_RULES, QuietWattConfig } from './schema/index.js';
import { article } from './schema/issues.js';
import { REF_KINDS, type RefKind, type StringMark } from './schema/marks.js';
import { REFERENCE_KINDS } from './schema/references.js';
import { stringFields } from './schema-walk.js';
import { WARNING_RULES } from './warnings.js';

/** The subset of JSON Schema that z.toJSONSchema emits for this config. */
interface Js {
  type?: string;
  description?: string;
  title?: string;
  default?: unknown;
  const?: unknown;
  enum?: unknown[];
  properties?: Record<string, Js>;
  required?: string[];
  items?: Js;
  anyOf?: Js[];
  oneOf?: Js[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  format?: string;
  propertyNames?: Js;
  additionalProperties?: Js | boolean;
  /** The string marks (marks.ts), present only in the schema the reference is written from. */
  ref?: RefKind;
  scopedBy?: string;
  sameAs?: string;
}

const MARK_KEYS: readonly (keyof StringMark)[] = ['text', 'idOf', 'ref', 'scopedBy', 'sameAs'];

/**
 * JSON Schema for editors; `io: 'input'` so fields with defaults are optional, as in the file. The
 * string marks are QuietWatt's own: kept for the reference, left out of the file editors read.
 */
export function configJsonSchema(options: { marks?: boolean } = {}): Record<string, unknown> {
  return z.toJSONSchema(QuietWattConfig, {
    io: 'input',
    override: (ctx) => {
      if (options.marks) return;
      const js = ctx.jsonSchema as Record<string, unknown>;
      for (const key of MARK_KEYS) delete js[key];
    },
  }) as Record<string, unknown>;
}

export function renderJsonSchema(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}

const MAX_INT = Number.MAX_SAFE_INTEGER;
const cell = (s: string): string => s.replaceAll('|', '\\|').replaceAll('\n', ' ');
const code = (v: unknown): string => `\`${JSON.stringify(v)}\``;

function range(s: Js): string {
  const lo =
    s.exclusiveMinimum !== undefined
      ? `> ${s.exclusiveMinimum}`
      : s.minimum !== undefined
        ? `>= ${s.minimum}`
        : '';
  const hi = s.maximum !== undefined && s.maximum < MAX_INT ? `<= ${s.maximum}` : '';
  return [lo, hi].filter(Boolean).join(', ');
}

/** "id of a space (of `site`)": what a reference names, in words. */
function refText(s: Js & { ref: RefKind }): string {
  const noun = REFERENCE_KINDS[s.ref].noun;
  const scope = s.scopedBy ? ` (of \`${s.scopedBy}\` when given)` : '';
  const same = s.sameAs ? ` (of the same \`${s.sameAs}\`)` : '';
  return `id of ${article(noun)} ${noun}${scope}${same}`;
}

function typeOf(s: Js, link: (s: Js) => string | undefined): string {
  if (s.ref !== undefined) return refText({ ...s, ref: s.ref });
  if (s.const !== undefined) return code(s.const);
  if (s.enum) return s.enum.map(code).join(' | ');
  const union = s.anyOf ?? s.oneOf;
  if (union) return union.map((u) => typeOf(u, link)).join(' | ');
  if (s.type === 'object' && s.propertyNames && typeof s.additionalProperties === 'object')
    return `map: ${typeOf(s.propertyNames, link)} → ${typeOf(s.additionalProperties, link)}`;
  if (s.type === 'object') return link(s) ?? 'object';
  if (s.type === 'array' && s.items) {
    const inner = typeOf(s.items, link);
    const min = s.minItems ? ` (at least ${s.minItems})` : '';
    return `list of ${inner}${min}`;
  }
  if (s.type === 'string') {
    if (s.format) return `string (${s.format})`;
    const len = s.minLength ? ', non-empty' : '';
    return `string${len}`;
  }
  if (s.type === 'number' || s.type === 'integer') {
    const r = range(s);
    return r ? `${s.type} ${r}` : s.type;
  }
  return s.type ?? 'any';
}

interface Section {
  /** Path of the fields, e.g. sites[].spaces[]. */
  path: string;
  /** Heading: the path, qualified for each branch of a union, e.g. schedules[] (kind: hvac). */
  title: string;
  schema: Js;
}

/** Every object schema with its path, depth-first, so each gets its own table. */
function sections(schema: Js, path: string, title: string, out: Section[]): Section[] {
  const join = (base: string, key: string): string => (base === '' ? key : `${base}.${key}`);
  if (schema.type === 'object' && schema.properties) {
    out.push({ path, title, schema });
    for (const [key, child] of Object.entries(schema.properties)) {
      sections(child, join(path, key), join(title, key), out);
    }
  } else if (schema.type === 'array' && schema.items) {
    sections(schema.items, `${path}[]`, `${title}[]`, out);
  } else {
    const union = schema.anyOf ?? schema.oneOf ?? [];
    const objects = union.filter((o) => o.type === 'object');
    objects.forEach((option, i) => {
      const kind = option.properties?.kind?.const;
      const first = Object.keys(option.properties ?? {})[0] ?? '';
      const label = kind === undefined ? `form ${i + 1}: ${first}` : `kind: ${String(kind)}`;
      sections(option, path, objects.length > 1 ? `${title} (${label})` : title, out);
    });
  }
  return out;
}

const anchor = (path: string): string =>
  path
    .toLowerCase()
    .replace(/[^a-z0-9 -]/g, '')
    .replaceAll(' ', '-');

function table(section: Section, all: Section[]): string {
  const link = (s: Js): string | undefined => {
    const target = all.find((x) => x.schema === s);
    return target ? `object, see [${target.title}](#${anchor(target.title)})` : undefined;
  };
  const rows = Object.entries(section.schema.properties ?? {}).map(([key, s]) => {
    const required = section.schema.required?.includes(key) ? 'yes' : '';
    const def = s.default === undefined ? '' : code(s.default);
    const fullPath = section.path === '' ? key : `${section.path}.${key}`;
    return `| \`${cell(fullPath)}\` | ${cell(typeOf(s, link))} | ${required} | ${cell(def)} | ${cell(s.description ?? '')} |`;
  });
  const title = section.title === '' ? 'Top level' : section.title;
  const intro = section.schema.description ? `\n${section.schema.description}.\n` : '';
  return [
    `### ${title}`,
    intro,
    '| path | type | required | default | description |',
    '|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}

/** One row per reference field: where it is and what it names. */
function referenceRows(): string[] {
  const rows: string[] = [];
  for (const kind of REF_KINDS) {
    for (const f of stringFields(QuietWattConfig)) {
      if (f.mark?.ref !== kind) continue;
      rows.push(`| \`${cell(f.pattern)}\` | ${cell(refText({ ...f.mark, ref: kind }))} |`);
    }
  }
  return rows;
}

/** docs/config-reference.md, generated from the schema so that it cannot drift. */
export function renderConfigReference(): string {
  const schema = configJsonSchema({ marks: true }) as Js;
  const all = sections(schema, '', '', []);
  return [
    '# QuietWatt configuration reference',
    '',
    '<!-- Generated from src/config/schema by `npm run gen:config`; do not edit by hand. -->',
    '',
    'QuietWatt reads one YAML file (default `config/default.yaml`, the demo community). Check a file with',
    '`quietwatt config check FILE`: it prints a summary when the file is valid and one line per problem',
    'when it is not, and the service refuses to start on an invalid file. Each line names the file, the',
    'path, what was expected and the value found, e.g.',
    '',
    '```',
    'config/x.yaml: sites[0].spaces[2].meters[0].topic: expected a topic without wildcards (+ or #), got "a/#" (line 40, column 20)',
    '```',
    '',
    'Editors that understand JSON Schema complete and check fields from `config/schema.json` (the YAML',
    'language server reads the `# yaml-language-server: $schema=./schema.json` line at the top of the file).',
    'Secrets never go in the file: `mqtt.usernameEnv` and `mqtt.passwordEnv` name environment variables.',
    '',
    '## Rules across fields',
    '',
    ...CROSS_FIELD_RULES.map((r) => `- ${r}`),
    '',
    '## Warnings',
    '',
    'A valid file can still ask for something the service will not do. `config check` then prints a',
    'warning line per case on stderr (the exit status stays 0), naming the path, the values and what the',
    'service does instead:',
    '',
    ...WARNING_RULES.map((r) => `- ${r}`),
    '',
    '## References',
    '',
    'These fields name an id declared elsewhere in the file (or a built-in tariff or emission factor).',
    '`config check` reports one that names nothing, with the ids it could name and the close ones.',
    '`<key>` is a key of the mapping, `<value>` a value.',
    '',
    '| field | names |',
    '|---|---|',
    ...referenceRows(),
    '',
    '## Reload',
    '',
    'The service watches its config file. A valid change is taken live, all or nothing, by every service',
    'that uses it; a change to a field that needs a restart is refused (`QW_CONFIG_RESTART_REQUIRED`) and',
    'the running config stays until the service restarts.',
    '',
    '| taken live | by |',
    '|---|---|',
    ...LIVE_RELOAD.map((r) => `| \`${r.path}\` | ${r.reason} |`),
    '',
    '| needs a restart | why |',
    '|---|---|',
    ...RESTART_REQUIRED.map((r) => `| \`${r.path}\` | ${r.reason} |`),
    '',
    '## Schedules',
    '',
    'A schedule is what the community runs today, as fixed time switches. A block applies on the `days` it',
    'starts on and in its `months`; when `to` is earlier than `from` it runs past midnight. The first',
    'matching block in list order wins; outside every block a lighting schedule holds `defaultLevelPct`',
    'and an hvac schedule is off.',
    '',
    '## Error codes',
    '',
    '| code | meaning |',
    '|---|---|',
    ...Object.entries(CONFIG_ERROR_CODES).map(([c, m]) => `| \`${c}\` | ${m} |`),
    '',
    '## Fields',
    '',
    ...all.map((s) => table(s, all)),
  ].join('\n');
}
