/**
 * The config's fast read: `js-yaml`, without source positions. The `yaml` package's document with
 * positions takes about 10 s on a config of 100,000 meters (11 MB); `js-yaml` reads it in about 1 s.
 *
 * Scalars resolve by the YAML 1.2 core schema, as the `yaml` package resolves them, and merge keys
 * (`<<`) are read, as the full parse (`merge: true`) reads them. Whatever this reads is the value
 * `yaml`'s `parseDocument(text, { merge: true, uniqueKeys: true }).toJS()` gives (a property test
 * checks it); anything else gives `undefined`, and the caller parses the text with `yaml`, which
 * names line and column in its errors:
 *   - anything `js-yaml` refuses: a syntax error, a duplicate key, an empty document;
 *   - a mapping key that is not a string (`1:`, `true:`, `~:`): `js-yaml` and `yaml` turn such keys
 *     into property names differently (`~` is `'null'` for one and `''` for the other);
 *   - an alias (`*name`): `yaml` limits how far aliases expand (`maxAliasCount`), `js-yaml` does not;
 *   - a scalar with an explicit tag (`!!float 1`): where the tag does not fit the text, `yaml` keeps
 *     the text as a string (with a warning) and `js-yaml` converts it;
 *   - a tab anywhere: the two differ on tabs beside indentation (`- \t&a` is a list of one null for
 *     `js-yaml`, an error for `yaml`), and configs are indented with spaces;
 *   - an anchor or tag run straight into a flow collection (`- &a[]`): YAML wants a space between a
 *     node's properties and its content, which `yaml` enforces and `js-yaml` does not. The check is
 *     on the text, so `R&D{` in a scalar also goes to `yaml`, which reads it right, only slower;
 *   - an anchor or tag after a mapping's `: ` with a key on the same line (`k: &a x: 1`, `k: ! :`):
 *     `js-yaml` reads a nested mapping there, `yaml` refuses a mapping within a compact one. Also on
 *     the text, so a line such as `note: !wow: yes` goes to `yaml` too;
 *   - a list item that is a flow collection or quoted scalar with more text and a `key:` after it on
 *     the same line (`- []\: ` in a list as deep as its parent key): `js-yaml` reads a new key of the
 *     parent mapping there, `yaml` refuses it. On the text too, so `- "a": "b: c"` goes to `yaml`.
 */
import {
  CORE_SCHEMA,
  defineMappingTag,
  defineScalarTag,
  load,
  mergeTag,
  NOT_RESOLVED,
  type ScalarTagDefinition,
  type Schema,
} from 'js-yaml';

/** A mapping as a plain object, whose keys must be strings (else the read fails). */
const stringKeyMap = defineMappingTag<Record<string, unknown>>('tag:yaml.org,2002:map', {
  create: () => ({}),
  identify: (data) =>
    typeof data === 'object' && data !== null && Object.getPrototypeOf(data) === Object.prototype,
  addPair: (map, key, value) => {
    if (typeof key !== 'string') return 'a mapping key that is not a string';
    // `yaml` makes `__proto__` an own property too, not the object's prototype.
    if (key === '__proto__')
      Object.defineProperty(map, key, { value, enumerable: true, configurable: true, writable: true });
    else map[key] = value;
    return '';
  },
  has: (map, key) => typeof key === 'string' && Object.hasOwn(map, key),
  keys: (map) => Object.keys(map),
  get: (map, key) => (typeof key === 'string' && Object.hasOwn(map, key) ? map[key] : null),
});

/** The same scalar tag, for plain and quoted scalars only: an explicit tag fails the read. */
const implicitOnly = (tag: ScalarTagDefinition) =>
  defineScalarTag(tag.tagName, {
    ...tag,
    resolve: (source, isExplicit, tagName) =>
      isExplicit ? NOT_RESOLVED : tag.resolve(source, false, tagName),
  });

const WITH_MERGE = CORE_SCHEMA.withTags(mergeTag, stringKeyMap);
const SCHEMA: Schema = WITH_MERGE.withTags(
  WITH_MERGE.tags.flatMap((tag) => (tag.nodeKind === 'scalar' ? [implicitOnly(tag)] : [])),
);

/** An anchor or tag whose name runs into a flow indicator, without the space YAML requires. */
const PROPERTY_INTO_FLOW = /[&!][^\s,[\]{}]*[[\]{}]/;

/** A value's anchor or tag with a `key:` after it on the same line: a mapping nested in a compact one. */
const PROPERTY_BEFORE_KEY = /:[ ]+[&!][^\n]*:(?: |$)/m;

/** A list item that opens with a flow collection or quoted scalar and has a `key:` after it. */
const KEY_AFTER_FLOW_END =
  /^[ ]*-[ ]+(?:\[[^\n]*\]|\{[^\n]*\}|'[^'\n]*'|"[^"\n]*")[ ]*[^\s#,][^\n]*:(?: |$)/m;

/** The value of YAML `text`, or `undefined` when only the `yaml` package may read it (see above). */
export function readYamlFast(text: string): { value: unknown } | undefined {
  if (
    text.includes('\t') ||
    PROPERTY_INTO_FLOW.test(text) ||
    PROPERTY_BEFORE_KEY.test(text) ||
    KEY_AFTER_FLOW_END.test(text)
  )
    return undefined;
  try {
    return { value: load(text, { schema: SCHEMA, maxAliases: 0 }) };
  } catch {
    return undefined;
  }
}
