import type { z } from 'zod';
import { formatPath, type IssueParams } from './schema/issues.js';
import { knownKeysAt } from './schema-walk.js';

/** Error codes, so that callers and docs can tell failures apart without parsing messages. */
export const CONFIG_ERROR_CODES = {
  QW_CONFIG_READ: 'the file could not be read',
  QW_CONFIG_SYNTAX: 'the file is not valid YAML',
  QW_CONFIG_INVALID: 'a value does not match the schema or a cross-field rule',
  QW_CONFIG_RESTART_REQUIRED:
    'a reload changes a field that takes effect only at a restart; the running config stays',
  QW_CONFIG_RELOAD_FAILED:
    'a service could not take a reloaded config; every service was handed the running config back',
} as const;
export type ConfigErrorCode = keyof typeof CONFIG_ERROR_CODES;

export interface ConfigError {
  readonly code: ConfigErrorCode;
  readonly file: string;
  /** Path in `sites[0].spaces[2].id` form; '' for the file as a whole. */
  readonly path: string;
  /** What a valid value looks like, e.g. 'a topic without wildcards (+ or #)'. */
  readonly expected: string;
  /** The offending value as JSON (truncated); absent when the value is missing. */
  readonly value?: string;
  readonly line?: number;
  readonly column?: number;
  /** One line for humans: `file: path: expected X, got V (line N)`. */
  readonly message: string;
}

export interface SourcePosition {
  line: number;
  column: number;
}
/** Finds where a path sits in the source file, if it can. */
export type Locate = (path: readonly PropertyKey[]) => SourcePosition | undefined;

const MAX_VALUE_CHARS = 60;

/** JSON for humans: short, one line. */
export function showValue(value: unknown): string {
  let json: string;
  try {
    json = JSON.stringify(value) ?? String(value);
  } catch {
    json = String(value);
  }
  return json.length > MAX_VALUE_CHARS ? `${json.slice(0, MAX_VALUE_CHARS - 1)}…` : json;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): { found: boolean; value?: unknown } {
  let cur: unknown = root;
  for (const seg of path) {
    if (typeof cur !== 'object' || cur === null || !Object.hasOwn(cur, seg)) return { found: false };
    cur = (cur as Record<PropertyKey, unknown>)[seg];
  }
  return { found: true, value: cur };
}

const ARTICLE: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  object: 'a mapping (key: value)',
  array: 'a list',
  literal: 'a fixed value',
};

function listValues(values: readonly unknown[]): string {
  return values.map((v) => JSON.stringify(v)).join(', ');
}

function bound(issue: {
  origin?: string;
  minimum?: unknown;
  maximum?: unknown;
  inclusive?: boolean;
}): string {
  const small = 'minimum' in issue;
  const limit = String(small ? issue.minimum : issue.maximum);
  const cmp = small ? (issue.inclusive ? '>=' : '>') : issue.inclusive ? '<=' : '<';
  switch (issue.origin) {
    case 'array':
    case 'set':
      return small ? `a list of at least ${limit} item(s)` : `a list of at most ${limit} item(s)`;
    case 'string':
      return small
        ? `a string of at least ${limit} character(s)`
        : `a string of at most ${limit} character(s)`;
    default:
      return `a number ${cmp} ${limit}`;
  }
}

function levenshtein(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j] ?? 0;
      row[j] = Math.min((row[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length] ?? 0;
}

/** `; did you mean "x"?` for the known words within a small edit distance of `word`, else ''. */
function didYouMean(word: string, known: readonly string[]): string {
  // Two edits, or a quarter of a long id (maple-court-b vs maple-court-bldg-b).
  const limit = Math.max(2, Math.floor(word.length / 4));
  const close = known.filter((k) => k !== word && levenshtein(k.toLowerCase(), word.toLowerCase()) <= limit);
  return close.length > 0 ? `; did you mean ${close.map((k) => `"${k}"`).join(' or ')}?` : '';
}

/** Extra words for keys operators commonly get wrong. */
function unknownKeyHint(key: string, known: readonly string[]): string {
  if (/^(user(name)?|pass(word)?|secret|token)$/i.test(key))
    return '; secrets never go in the file: set usernameEnv/passwordEnv to the names of environment variables';
  return didYouMean(key, known);
}

interface Draft {
  path: readonly PropertyKey[];
  expected: string;
  value?: unknown;
  hasValue: boolean;
  /** Replaces "expected X, got V" when that reads badly (unknown fields). */
  text?: string;
}

function drafts(issue: z.core.$ZodIssue, input: unknown, schema: z.ZodType): Draft[] {
  const at = valueAt(input, issue.path);
  const base = { path: issue.path, hasValue: at.found && at.value !== undefined, value: at.value };
  switch (issue.code) {
    case 'invalid_type':
      return [{ ...base, expected: ARTICLE[issue.expected] ?? `a value of type ${issue.expected}` }];
    case 'invalid_value':
      return [
        {
          ...base,
          expected:
            issue.values.length === 1 ? listValues(issue.values) : `one of ${listValues(issue.values)}`,
        },
      ];
    case 'too_small':
    case 'too_big':
      return [{ ...base, expected: bound(issue) }];
    case 'invalid_format':
      return [
        {
          ...base,
          expected: issue.message.startsWith('Invalid') ? `a ${issue.format} string` : issue.message,
        },
      ];
    case 'not_multiple_of':
      return [{ ...base, expected: `a multiple of ${String(issue.divisor)}` }];
    case 'unrecognized_keys': {
      const known = knownKeysAt(schema, issue.path, input);
      return issue.keys.map((key) => {
        return {
          // The value is not echoed: an unknown key is often a secret put in the wrong place.
          path: [...issue.path, key],
          hasValue: false,
          expected: `one of the known fields: ${known.join(', ')}`,
          text: `unknown field "${key}" (known fields: ${known.join(', ')})${unknownKeyHint(key, known)}`,
        };
      });
    }
    case 'invalid_union': {
      if ('discriminator' in issue && typeof issue.discriminator === 'string') {
        const options = Array.isArray((issue as { options?: unknown }).options)
          ? ((issue as { options: unknown[] }).options ?? [])
          : [];
        const path =
          issue.path.at(-1) === issue.discriminator ? issue.path : [...issue.path, issue.discriminator];
        const v = valueAt(input, path);
        return [
          {
            path,
            hasValue: v.found && v.value !== undefined,
            value: v.value,
            expected: `one of ${listValues(options)}`,
          },
        ];
      }
      // The closest branch tells the operator the most; zod lists every branch's issues.
      const first = issue.errors[0];
      if (first && first.length > 0)
        return first.flatMap((sub) =>
          drafts({ ...sub, path: [...issue.path, ...sub.path] } as z.core.$ZodIssue, input, schema),
        );
      return [{ ...base, expected: issue.message }];
    }
    case 'custom': {
      // A dangling reference: its value may be a record key, and a near-miss id gets a suggestion.
      const params = (issue.params ?? {}) as IssueParams;
      if (params.known === undefined) return plain(issue, base);
      const key = params.isKey ? issue.path.at(-1) : undefined;
      const shown = key === undefined ? base : { ...base, hasValue: true, value: String(key) };
      const got = shown.hasValue ? `, got ${showValue(shown.value)}` : '';
      const hint = typeof shown.value === 'string' ? didYouMean(shown.value, params.known) : '';
      return [{ ...shown, expected: issue.message, text: `expected ${issue.message}${got}${hint}` }];
    }
    default:
      return plain(issue, base);
  }
}

/** Refinements here say what is expected ("a topic without ..."); some say what is wrong instead. */
function plain(issue: z.core.$ZodIssue, base: Omit<Draft, 'expected'>): Draft[] {
  if (/\bmust\b/.test(issue.message)) {
    const got = base.hasValue ? `, got ${showValue(base.value)}` : '';
    return [{ ...base, expected: issue.message, text: `${issue.message}${got}` }];
  }
  return [{ ...base, expected: issue.message }];
}

export function makeError(
  file: string,
  code: ConfigErrorCode,
  d: {
    path: readonly PropertyKey[] | string;
    expected: string;
    value?: string;
    position?: SourcePosition;
    text?: string;
  },
): ConfigError {
  const path = typeof d.path === 'string' ? d.path : formatPath(d.path);
  const where = path === '' ? '' : ` ${path}:`;
  const body =
    d.text ??
    (code === 'QW_CONFIG_INVALID'
      ? `expected ${d.expected}, got ${d.value ?? 'nothing (the field is missing)'}`
      : d.expected);
  const pos = d.position ? ` (line ${d.position.line}, column ${d.position.column})` : '';
  const message = `${file}:${where} ${body}${pos}`;
  return {
    code,
    file,
    path,
    expected: d.expected,
    message,
    ...(d.value !== undefined ? { value: d.value } : {}),
    ...(d.position ? { line: d.position.line, column: d.position.column } : {}),
  };
}

/** Turns zod issues into one ConfigError per problem, naming file, path, value and expectation. */
export function issuesToErrors(
  file: string,
  issues: readonly z.core.$ZodIssue[],
  input: unknown,
  schema: z.ZodType,
  locate?: Locate,
): ConfigError[] {
  const out: ConfigError[] = [];
  const seen = new Set<string>();
  for (const issue of issues) {
    for (const d of drafts(issue, input, schema)) {
      const position = locate?.(d.path);
      const err = makeError(file, 'QW_CONFIG_INVALID', {
        path: d.path,
        expected: d.expected,
        ...(d.hasValue ? { value: showValue(d.value) } : {}),
        ...(position ? { position } : {}),
        ...(d.text !== undefined ? { text: d.text } : {}),
      });
      if (!seen.has(err.message)) out.push(err);
      seen.add(err.message);
    }
  }
  // In file order, so an operator can work down the file; errors without a position keep their place last.
  const at = (e: ConfigError): number => (e.line ?? Number.MAX_SAFE_INTEGER) * 10_000 + (e.column ?? 0);
  return out
    .map((e, i) => ({ e, i }))
    .sort((a, b) => at(a.e) - at(b.e) || a.i - b.i)
    .map(({ e }) => e);
}
