import { EMISSION_FACTOR_PRESETS, TARIFF_PRESETS } from '../../domain/tariff/presets.js';
import { type StringField, valuesAt } from '../schema-walk.js';
import { article, type CrossIssues, type Path } from './issues.js';
import type { RefKind, StringMark } from './marks.js';

interface KindSpec {
  /** How errors name the kind. */
  noun: string;
  /** Ids that exist without being declared in the file. */
  builtIn?: readonly string[];
  /** Ids of this kind are unique only within the enclosing declaration of that kind (spaces per site). */
  within?: RefKind;
}

/**
 * How each kind of reference resolves. The ids come from the fields marked `idOf` (plus built-in
 * ones); every field marked `ref` is then checked against them by `checkReferences`, so a marked
 * reference cannot go unchecked. A Record, so a new kind cannot be added without its entry.
 */
export const REFERENCE_KINDS: Readonly<Record<RefKind, KindSpec>> = {
  site: { noun: 'site' },
  space: { noun: 'space', within: 'site' },
  meter: { noun: 'meter' },
  sensor: { noun: 'sensor' },
  device: { noun: 'device' },
  schedule: { noun: 'schedule' },
  tariff: { noun: 'tariff', builtIn: TARIFF_PRESETS.map((t) => t.id) },
  'emission-factor': { noun: 'emission factor', builtIn: EMISSION_FACTOR_PRESETS.map((f) => f.id) },
};

interface Declared {
  id: string;
  /** Path of the object that declares the id, e.g. ['sites', 0, 'spaces', 2]. */
  owner: Path;
  holder: Record<string, unknown>;
  /** The enclosing id of the kind's `within` kind, e.g. the site of a space. */
  scope?: string;
}

const MAX_KNOWN = 12;

const isPrefix = (prefix: Path, path: Path): boolean =>
  prefix.length <= path.length && prefix.every((seg, i) => seg === path[i]);

/** Every declared id by kind, each with the id of its enclosing scope. */
function declarations(cfg: unknown, fields: readonly StringField[]): Map<RefKind, Declared[]> {
  const out = new Map<RefKind, Declared[]>();
  for (const field of fields) {
    const kind = field.mark?.idOf;
    if (!kind) continue;
    const list = out.get(kind) ?? [];
    for (const f of valuesAt(cfg, field.steps))
      if (typeof f.value === 'string')
        list.push({ id: f.value, owner: f.path.slice(0, -1), holder: f.holder });
    out.set(kind, list);
  }
  for (const [kind, list] of out) {
    const within = REFERENCE_KINDS[kind].within;
    if (!within) continue;
    const outer = out.get(within) ?? [];
    for (const d of list) {
      const scope = outer.find((o) => isPrefix(o.owner, d.owner))?.id;
      if (scope !== undefined) d.scope = scope;
    }
  }
  return out;
}

function knownList(ids: readonly string[]): string {
  if (ids.length === 0) return 'none';
  const shown = ids.slice(0, MAX_KNOWN).join(', ');
  return ids.length > MAX_KNOWN ? `${shown}, … (${ids.length} in all)` : shown;
}

/** Reports every marked reference in `cfg` that names no declared (or built-in) id of its kind. */
export function checkReferences(cfg: unknown, fields: readonly StringField[], issues: CrossIssues): void {
  const declared = declarations(cfg, fields);
  for (const field of fields) {
    const mark = field.mark;
    if (!mark?.ref) continue;
    const isKey = field.steps.at(-1) === 'key';
    for (const found of valuesAt(cfg, field.steps)) {
      // Wrong types are the schema's to report; a value another rule reported is not reported twice.
      if (typeof found.value !== 'string' || issues.has(found.path)) continue;
      const problem = dangling(found.value, found.holder, mark, mark.ref, declared);
      if (problem)
        issues.add(found.path, found.value, problem.message, {
          known: problem.known,
          ...(isKey ? { isKey } : {}),
        });
    }
  }
}

function dangling(
  id: string,
  holder: Record<string, unknown>,
  mark: StringMark,
  kind: RefKind,
  declared: Map<RefKind, Declared[]>,
): { message: string; known: string[] } | undefined {
  const spec = REFERENCE_KINDS[kind];
  let candidates = declared.get(kind) ?? [];
  let where = '';
  // A scope that names nothing is reported at its own path; the id is then checked against all scopes.
  const scope = mark.scopedBy ? holder[mark.scopedBy] : undefined;
  if (spec.within && typeof scope === 'string' && declared.get(spec.within)?.some((d) => d.id === scope)) {
    candidates = candidates.filter((d) => d.scope === scope);
    where = ` of ${REFERENCE_KINDS[spec.within].noun} "${scope}"`;
  }
  const builtIn = spec.builtIn ?? [];
  if (builtIn.includes(id) || candidates.some((d) => d.id === id)) return undefined;
  // `sameAs` narrows the hint (an hvac device lists hvac schedules); a mismatch of kinds is its own rule.
  let noun = spec.noun;
  const same = mark.sameAs ? holder[mark.sameAs] : undefined;
  if (mark.sameAs && typeof same === 'string') {
    const field = mark.sameAs;
    candidates = candidates.filter((d) => d.holder[field] === same);
    noun = `${same} ${noun}`;
  }
  const known = [...new Set([...builtIn, ...candidates.map((d) => d.id)])];
  return { message: `the id of ${article(noun)} ${noun}${where} (known: ${knownList(known)})`, known };
}
