/**
 * A fast reader for the plain block YAML that config files are made of: nested mappings and lists
 * by indentation, `key: value` lines with plain, single- or double-quoted scalars (no escapes),
 * one-line flow lists and mappings of such scalars (`[a, b]`, `{ k: v }`), and comments. Plain scalars are resolved as the `yaml`
 * package's YAML 1.2 core schema resolves them (null, booleans, integers, floats, else a string).
 *
 * It does not build a document with source positions, which is what makes the `yaml` package slow on
 * big files (about 1 MB/s; a config of 100,000 meters is 11 MB). Anything outside this subset, and
 * anything that the `yaml` package would report as an error (a duplicate key, a tab in indentation,
 * a continuation line), gives `undefined`: the caller then parses the text with the `yaml` package,
 * which reads everything and names line and column in its errors. So whenever this returns a value,
 * it is the value `yaml`'s `parseDocument(text).toJS()` returns (a property test checks it).
 */

/** A plain key and its colon, at `lastIndex`. */
const KEY_AT = /([A-Za-z_][A-Za-z0-9_.-]*):(?= |$)/y;
const NULL = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const INT_OCT = /^0o[0-7]+$/;
const INT = /^[-+]?[0-9]+$/;
const INT_HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT_NAN = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT_EXP = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;
/** The first characters of every scalar that the core schema reads as other than a string. */
const MAYBE_NOT_STRING = /^[~nNtTfF0-9+.-]/;
/** Characters that start something other than a plain scalar, or that a plain scalar here must not start with. */
const NOT_PLAIN_START = /^[?:,\]}&*!|>%@`#]|^-(?:[ \t]|$)/;
/** After a quoted scalar or a flow collection: nothing, or a comment. */
const TRAILER = /^(?:[ ]+#.*|[ ]*)$/;
/** Control characters other than tab, which a one-line scalar here does not carry. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: they are what is looked for
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f]/;

/** The plain scalar `s` (trimmed, non-empty or empty) as the YAML 1.2 core schema resolves it. */
export function resolvePlain(s: string): unknown {
  // Most are names: nothing but a string starts with another character.
  if (s !== '' && !MAYBE_NOT_STRING.test(s)) return s;
  if (NULL.test(s)) return null;
  if (BOOL.test(s)) return s[0] === 't' || s[0] === 'T';
  if (INT_OCT.test(s)) return Number.parseInt(s.substring(2), 8);
  if (INT.test(s)) return Number.parseInt(s, 10);
  if (INT_HEX.test(s)) return Number.parseInt(s.substring(2), 16);
  if (FLOAT_NAN.test(s))
    return s.slice(-3).toLowerCase() === 'nan' ? Number.NaN : s[0] === '-' ? -Infinity : Infinity;
  if (FLOAT_EXP.test(s) || FLOAT.test(s)) return Number.parseFloat(s);
  return s;
}

class Declined extends Error {}
const decline = (): never => {
  throw new Declined();
};

/** A plain scalar in block context, `rest` being the rest of its line. */
function plainScalar(rest: string): unknown {
  if (NOT_PLAIN_START.test(rest) || rest.includes('\t')) decline();
  const hash = rest.indexOf(' #');
  const body = (hash >= 0 ? rest.slice(0, hash) : rest).trimEnd();
  // `a: b` on one line, or a key whose value comes on the next lines, is no plain scalar.
  if (body.includes(': ') || body.endsWith(':')) decline();
  return resolvePlain(body);
}

/**
 * The quoted scalar (no escapes, on one line) that starts at `rest[from]`, and the index after its
 * closing quote.
 */
function quoted(rest: string, from: number): [string, number] {
  const q = rest[from] as string;
  let out = '';
  let i = from + 1;
  for (;;) {
    const end = rest.indexOf(q, i);
    if (end < 0) return decline();
    out += rest.slice(i, end);
    if (q === "'" && rest[end + 1] === "'") {
      out += "'";
      i = end + 2;
      continue;
    }
    i = end + 1;
    break;
  }
  if ((q === '"' && out.includes('\\')) || CONTROL.test(out)) decline();
  return [out, i];
}

/** A quoted scalar and nothing but a comment after it. */
function quotedScalar(rest: string): string {
  const [value, end] = quoted(rest, 0);
  if (!TRAILER.test(rest.slice(end))) decline();
  return value;
}

const FLOW_KEY = /[A-Za-z_][A-Za-z0-9_.-]*: +/y;
const FLOW_PLAIN_END = /[,\]}]/g;

/**
 * A flow list or mapping on one line, without nesting: `[]`, `{}`, `[a, 'b']`, `{ k: v, k2: "w" }`.
 * Plain scalars in it hold none of `:`, `#`, quotes and brackets.
 */
function flowCollection(rest: string): unknown {
  const isMap = rest[0] === '{';
  const close = isMap ? '}' : ']';
  const list: unknown[] = [];
  const map: Record<string, unknown> = {};
  let i = 1;
  const skipSpaces = () => {
    while (rest[i] === ' ') i++;
  };
  skipSpaces();
  if (rest[i] === close) i++;
  else
    for (;;) {
      skipSpaces();
      let key = '';
      if (isMap) {
        FLOW_KEY.lastIndex = i;
        const m = FLOW_KEY.exec(rest);
        if (!m) return decline();
        key = m[0].slice(0, m[0].indexOf(':'));
        if (key === '__proto__' || Object.hasOwn(map, key) || BOOL.test(key) || NULL.test(key)) decline();
        i = FLOW_KEY.lastIndex;
      }
      let value: unknown;
      if (rest[i] === '"' || rest[i] === "'") [value, i] = quoted(rest, i);
      else {
        FLOW_PLAIN_END.lastIndex = i;
        const end = FLOW_PLAIN_END.exec(rest) ? FLOW_PLAIN_END.lastIndex - 1 : rest.length;
        const s = rest.slice(i, end).trimEnd();
        if (s === '' || NOT_PLAIN_START.test(s) || /[:#'"[{\t]/.test(s)) decline();
        value = resolvePlain(s);
        i = end;
      }
      if (isMap) map[key] = value;
      else list.push(value);
      skipSpaces();
      if (rest[i] === close) {
        i++;
        break;
      }
      if (rest[i] !== ',') return decline();
      i++;
      skipSpaces();
      if (rest[i] === close) return decline(); // a trailing comma
    }
  if (!TRAILER.test(rest.slice(i))) decline();
  return isMap ? map : list;
}

/** The value that follows `key: ` or `- ` on the same line (non-empty, not a comment). */
function inlineValue(rest: string): unknown {
  const c = rest[0];
  if (c === '"' || c === "'") return quotedScalar(rest);
  if (c === '[' || c === '{') return flowCollection(rest);
  return plainScalar(rest);
}

class Reader {
  private i = 0;
  private readonly lines: string[];
  /**
   * Where each line's content starts (its indentation, or the column after `- ` for the first key
   * of a mapping in a list item); -1 for blank and comment-only lines.
   */
  private readonly indents: Int32Array;

  constructor(text: string) {
    this.lines = text.split('\n');
    this.indents = new Int32Array(this.lines.length);
    for (let k = 0; k < this.lines.length; k++) {
      const line = this.lines[k] as string;
      let n = 0;
      while (line.charCodeAt(n) === 32) n++;
      const c = line.charCodeAt(n);
      if (Number.isNaN(c) || c === 35 /* # */) this.indents[k] = -1;
      else if (c === 9 /* tab */) decline();
      else this.indents[k] = n;
    }
  }

  /** Indentation of the next content line (skipping blanks and comments), -1 at the end. */
  private peek(): number {
    while (this.i < this.lines.length && this.indents[this.i] === -1) this.i++;
    return this.i < this.lines.length ? (this.indents[this.i] as number) : -1;
  }

  private isItem(n: number): boolean {
    const line = this.lines[this.i] as string;
    return line.charCodeAt(n) === 45 /* - */ && (line.length === n + 1 || line.charCodeAt(n + 1) === 32);
  }

  document(): unknown {
    if (this.peek() !== 0) decline();
    const first = this.lines[this.i] as string;
    if (/^(?:---|\.\.\.|%)/.test(first)) decline();
    const value = this.isItem(0) ? this.sequence(0) : this.mapping(0);
    if (this.peek() !== -1) decline();
    return value;
  }

  /** The value of a `key:` or `- ` with nothing after it on its line, the parent at indent `n`. */
  private nested(n: number, allowSameIndentList: boolean): unknown {
    const next = this.peek();
    if (next > n) return this.isItem(next) ? this.sequence(next) : this.mapping(next);
    if (allowSameIndentList && next === n && this.isItem(n)) return this.sequence(n);
    return null;
  }

  private mapping(n: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    while (this.peek() === n) {
      const line = this.lines[this.i] as string;
      KEY_AT.lastIndex = n;
      const m = KEY_AT.exec(line);
      if (!m) return decline();
      const key = m[1] as string;
      // `yaml` refuses an implicit key of more than 1024 characters; `__proto__` is no plain property.
      if (
        key.length > 1000 ||
        key === '__proto__' ||
        Object.hasOwn(out, key) ||
        BOOL.test(key) ||
        NULL.test(key)
      )
        decline();
      let at = KEY_AT.lastIndex;
      while (line.charCodeAt(at) === 32) at++;
      this.i++;
      if (at === line.length || line.charCodeAt(at) === 35 /* # */) out[key] = this.nested(n, true);
      else {
        out[key] = inlineValue(at === 0 ? line : line.slice(at));
        if (this.peek() > n) decline(); // a continuation line
      }
    }
    if (this.peek() > n) decline();
    return out;
  }

  private sequence(n: number): unknown[] {
    const out: unknown[] = [];
    while (this.peek() === n && this.isItem(n)) {
      const line = this.lines[this.i] as string;
      let col = n + 1;
      while (line.charCodeAt(col) === 32) col++;
      if (col === line.length || line.charCodeAt(col) === 35 /* # */) {
        this.i++;
        out.push(this.nested(n, false));
        continue;
      }
      const rest = line.slice(col);
      if (rest[0] === '-' && (rest.length === 1 || rest[1] === ' ')) return decline(); // a list in a list item's line
      KEY_AT.lastIndex = 0;
      if (KEY_AT.test(rest)) {
        // `- key: value`: a mapping whose keys sit at the column of its first.
        this.indents[this.i] = col;
        out.push(this.mapping(col));
      } else {
        this.i++;
        out.push(inlineValue(rest));
        if (this.peek() > n) decline();
      }
    }
    if (this.peek() > n) decline();
    return out;
  }
}

/**
 * The value of YAML `text` when it is plain block YAML (see the file's comment), else `undefined`:
 * parse it with the `yaml` package then.
 */
export function readPlainYaml(text: string): { value: unknown } | undefined {
  if (text.includes('\r') || text.charCodeAt(0) === 0xfeff) return undefined;
  try {
    return { value: new Reader(text).document() };
  } catch (error) {
    if (error instanceof Declined) return undefined;
    throw error;
  }
}
