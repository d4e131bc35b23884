import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { type ConfigError, issuesToErrors, type Locate, makeError, type SourcePosition } from './errors.js';
import { readYamlFast } from './fast-yaml.js';
import { QuietWattConfig } from './schema/index.js';

export type ConfigResult =
  | { ok: true; config: Readonly<QuietWattConfig>; file: string }
  | { ok: false; errors: ConfigError[] };

/** Freezes a value and everything reachable from it: validated config is never mutated. */
export function deepFreeze<T>(value: T): Readonly<T> {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** Validates an already-parsed value (e.g. from YAML or JSON) against the schema. */
export function validateConfig(raw: unknown, file: string, locate?: Locate): ConfigResult {
  if (raw === null || raw === undefined) {
    const expected = 'a mapping (key: value) with at least `sites`';
    return {
      ok: false,
      errors: [
        makeError(file, 'QW_CONFIG_INVALID', {
          path: '',
          expected,
          text: `the file is empty: expected ${expected}`,
        }),
      ],
    };
  }
  const parsed = QuietWattConfig.safeParse(raw);
  if (parsed.success) return { ok: true, config: deepFreeze(parsed.data), file };
  return { ok: false, errors: issuesToErrors(file, parsed.error.issues, raw, QuietWattConfig, locate) };
}

function locator(doc: ReturnType<typeof parseDocument>, lines: LineCounter): Locate {
  const at = (offset: number): SourcePosition => {
    const p = lines.linePos(offset);
    return { line: p.line, column: p.col };
  };
  return (path) => {
    let node: unknown = doc.contents;
    let best: Node | undefined = doc.contents ?? undefined;
    for (const seg of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === seg);
        if (!pair) break;
        // Point at the value, or at the key when the value is empty.
        node = pair.value;
        best = (pair.value as Node | null) ?? (isScalar(pair.key) ? pair.key : best);
      } else if (isSeq(node) && typeof seg === 'number') {
        node = node.items[seg];
        if (!node) break;
        best = node as Node;
      } else break;
    }
    return best?.range ? at(best.range[0]) : undefined;
  };
}

/**
 * Parses YAML text and validates it. `file` is only used to name the source in errors.
 *
 * The text is read first with `js-yaml`, without source positions (the `yaml` package's document
 * with them takes about 10 s for 100,000 meters). Only when that read fails (a syntax error, a
 * duplicate key, or YAML it leaves to `yaml`: see fast-yaml.ts) or the value is invalid is the text
 * parsed again into the document that names line and column in every error.
 */
export function parseConfigText(text: string, file: string): ConfigResult {
  const fast = readYamlFast(text);
  if (fast !== undefined) {
    const result = validateConfig(fast.value, file);
    if (result.ok) return result;
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, merge: true, uniqueKeys: true });
  // A YAML error names what was expected by its message's first line, and where, if it says.
  const syntaxError = (expected: string, message: string, position?: SourcePosition) =>
    makeError(file, 'QW_CONFIG_SYNTAX', {
      path: '',
      expected: `${expected}: ${message.split('\n')[0]}`,
      ...(position ? { position } : {}),
    });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((e) => {
        const pos = lines.linePos(e.pos[0]);
        return syntaxError('YAML syntax error', e.message, { line: pos.line, column: pos.col });
      }),
    };
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    // `toJS` throws where aliases would expand past the limit (a "billion laughs" document): a
    // refused file, not a crash of the config check or of a running service's reload.
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, errors: [syntaxError('YAML that can be read', message)] };
  }
  return validateConfig(value, file, locator(doc, lines));
}
