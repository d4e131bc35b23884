/**
 * Every string field of the config says what it holds, in its `.meta({...})`: free text, the id it
 * declares, or the id it refers to. A unit test walks the schema and fails on a string field without
 * a mark, so a new reference cannot slip in unchecked (see references.ts).
 */

/** Kinds of id that the config declares and that other fields refer to. */
export const REF_KINDS = [
  'site',
  'space',
  'meter',
  'sensor',
  'device',
  'schedule',
  'tariff',
  'emission-factor',
] as const;
export type RefKind = (typeof REF_KINDS)[number];

export interface StringMark {
  /** Free text: a name, topic, path, URL or format checked in place; it refers to nothing in the config. */
  text?: true;
  /** Declares an id of this kind: the ids that references of the kind may name. */
  idOf?: RefKind;
  /** Names an id of this kind declared elsewhere in the config (or built in). */
  ref?: RefKind;
  /** A sibling field that narrows the reference, e.g. `site` for a space id (space ids are per site). */
  scopedBy?: string;
  /** A sibling field the declaring object shares, e.g. a device's `kind` names schedules of that kind. */
  sameAs?: string;
}

declare module 'zod' {
  interface GlobalMeta extends StringMark {}
}

/** The mark parts of a field's metadata, or undefined when it has none. */
export function markOf(meta: Readonly<Record<string, unknown>> | undefined): StringMark | undefined {
  if (!meta) return undefined;
  const mark: StringMark = {};
  if (meta.text === true) mark.text = true;
  for (const key of ['idOf', 'ref'] as const) {
    const v = meta[key];
    if (typeof v === 'string' && (REF_KINDS as readonly string[]).includes(v)) mark[key] = v as RefKind;
  }
  for (const key of ['scopedBy', 'sameAs'] as const) {
    const v = meta[key];
    if (typeof v === 'string') mark[key] = v;
  }
  return Object.keys(mark).length > 0 ? mark : undefined;
}
