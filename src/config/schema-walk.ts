import { z } from 'zod';
import { markOf, type StringMark } from './schema/marks.js';

/** The minimal view of zod 4 internals that walking a schema needs. */
interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  innerType?: z.ZodType;
  in?: z.ZodType;
  options?: z.ZodType[];
  values?: unknown[];
  keyType?: z.ZodType;
  valueType?: z.ZodType;
  format?: string;
}
const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** Strips wrappers (default, optional, pipe, ...) down to the schema that does the work. */
function unwrap(s: z.ZodType): z.ZodType {
  let cur = s;
  for (let i = 0; i < 20; i++) {
    const d = defOf(cur);
    const next = d.innerType ?? (d.type === 'pipe' ? d.in : undefined);
    if (!next) return cur;
    cur = next;
  }
  return cur;
}

/** Object schemas that may describe `value` (all branches of a union, narrowed by a matching `kind`). */
function objectsFor(s: z.ZodType, value: unknown): z.ZodType[] {
  const u = unwrap(s);
  const d = defOf(u);
  if (d.type === 'object') return [u];
  if (d.type !== 'union' || !d.options) return [];
  const branches = d.options.flatMap((o) => objectsFor(o, value));
  const kind =
    typeof value === 'object' && value !== null ? (value as Record<string, unknown>).kind : undefined;
  const matching = branches.filter((b) => {
    const k = defOf(b).shape?.kind;
    return k !== undefined && (defOf(unwrap(k)).values ?? []).includes(kind);
  });
  return matching.length > 0 ? matching : branches;
}

/** The field names allowed at `path` of `input`, for "known fields" hints in errors. */
export function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[], input: unknown): string[] {
  let schemas: z.ZodType[] = [schema];
  let value: unknown = input;
  for (const seg of path) {
    const next: z.ZodType[] = [];
    for (const s of schemas) {
      const u = unwrap(s);
      const d = defOf(u);
      if (typeof seg === 'number' && d.type === 'array' && d.element) next.push(d.element);
      else
        for (const o of objectsFor(u, value)) {
          const field = defOf(o).shape?.[String(seg)];
          if (field) next.push(field);
        }
    }
    schemas = next;
    value =
      typeof value === 'object' && value !== null ? (value as Record<PropertyKey, unknown>)[seg] : undefined;
  }
  const keys = new Set<string>();
  for (const s of schemas)
    for (const o of objectsFor(s, value)) for (const k of Object.keys(defOf(o).shape ?? {})) keys.add(k);
  return [...keys];
}

/** One step of a field pattern: a named field, every item of a list, or every key or value of a record. */
export type Step = { field: string } | 'item' | 'key' | 'value';

/** A string field of the schema, wherever it sits, with the mark its metadata gives it. */
export interface StringField {
  steps: readonly Step[];
  /** Readable form: sites[].spaces[].id, tariffs.meterTariffs.<key>, tariffs.meterTariffs.<value>. */
  pattern: string;
  mark: StringMark | undefined;
  /** zod's string format, e.g. date, datetime, url; absent for plain strings. */
  format?: string;
}

export function formatSteps(steps: readonly Step[]): string {
  let out = '';
  for (const s of steps) {
    if (s === 'item') out += '[]';
    else if (s === 'key' || s === 'value') out += `.<${s}>`;
    else out += out === '' ? s.field : `.${s.field}`;
  }
  return out;
}

/** Types that hold no free string: closed sets and scalars. */
const NOT_STRINGS = new Set(['enum', 'literal', 'number', 'int', 'boolean', 'null', 'undefined']);

/** Every string field of `schema`, with the marks of every wrapper on the way (a mark may sit on any). */
export function stringFields(schema: z.ZodType): StringField[] {
  const out = new Map<string, StringField>();
  const visit = (s: z.ZodType, steps: Step[], marks: StringMark): void => {
    const mark = { ...marks, ...markOf(z.globalRegistry.get(s)) };
    const d = defOf(s);
    const next = d.innerType ?? (d.type === 'pipe' ? d.in : undefined);
    if (next) visit(next, steps, mark);
    else if (d.type === 'string') {
      const field: StringField = {
        steps,
        pattern: formatSteps(steps),
        mark: Object.keys(mark).length > 0 ? mark : undefined,
        ...(d.format !== undefined ? { format: d.format } : {}),
      };
      // Union branches repeat shared fields (every tariff has an id): one entry per pattern and mark.
      out.set(`${field.pattern} ${JSON.stringify(field.mark)}`, field);
    } else if (d.type === 'object')
      for (const [k, f] of Object.entries(d.shape ?? {})) visit(f, [...steps, { field: k }], {});
    else if (d.type === 'array' && d.element) visit(d.element, [...steps, 'item'], {});
    else if (d.type === 'record' && d.keyType && d.valueType) {
      visit(d.keyType, [...steps, 'key'], {});
      visit(d.valueType, [...steps, 'value'], {});
    } else if (d.type === 'union') for (const o of d.options ?? []) visit(o, steps, mark);
    else if (!NOT_STRINGS.has(d.type))
      throw new Error(`stringFields: schema type ${d.type} at ${formatSteps(steps)} is not walked`);
  };
  visit(schema, [], {});
  return [...out.values()];
}

/** A value found in a config by a field pattern, with its concrete path and the object holding it. */
export interface Found {
  path: (string | number)[];
  value: unknown;
  holder: Record<string, unknown>;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The values at `steps` in a (possibly partly invalid) config. */
export function valuesAt(input: unknown, steps: readonly Step[]): Found[] {
  let here: { path: (string | number)[]; value: unknown; holder: Record<string, unknown> }[] = [
    { path: [], value: input, holder: {} },
  ];
  for (const step of steps) {
    const next: Found[] = [];
    for (const { path, value } of here) {
      if (step === 'item') {
        if (Array.isArray(value))
          value.forEach((v, i) => {
            next.push({ path: [...path, i], value: v, holder: {} });
          });
      } else if (!isRecord(value)) continue;
      else if (step === 'key' || step === 'value')
        for (const [k, v] of Object.entries(value))
          next.push({ path: [...path, k], value: step === 'key' ? k : v, holder: value });
      else if (Object.hasOwn(value, step.field))
        next.push({ path: [...path, step.field], value: value[step.field], holder: value });
    }
    here = next;
  }
  return here;
}
