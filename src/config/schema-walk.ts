import type { z } from 'zod';

/** The minimal view of zod 4 internals that walking a schema needs. */
interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  innerType?: z.ZodType;
  in?: z.ZodType;
  options?: z.ZodType[];
  values?: unknown[];
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
