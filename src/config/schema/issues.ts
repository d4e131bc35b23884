import type { z } from 'zod';

export type Path = (string | number)[];
type Ctx = z.core.$RefinementCtx<unknown>;

/** Renders a path the way errors show it, e.g. sites[0].spaces[2].id. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? String(seg) : `.${String(seg)}`;
  }
  return out;
}

/** Extras a cross-field issue may carry to the error formatter (src/config/errors.ts). */
export interface IssueParams {
  /** The ids a reference may name: the error suggests the close ones ("did you mean"). */
  known?: readonly string[];
  /** The path ends in a record key, and the key is the offending value. */
  isKey?: boolean;
}

/** Cross-field issues of one parse, remembering their paths so a later rule can skip a reported value. */
export class CrossIssues {
  private readonly paths = new Set<string>();
  constructor(private readonly ctx: Ctx) {}

  add(path: Path, input: unknown, message: string, params?: IssueParams): void {
    this.paths.add(formatPath(path));
    this.ctx.addIssue({ code: 'custom', path, input, message, ...(params ? { params } : {}) });
  }

  has(path: Path): boolean {
    return this.paths.has(formatPath(path));
  }
}

/** "a" or "an" before a word, as errors read it ("an hvac schedule", "an emission factor"). */
export const article = (word: string): string => (/^[aeiouh]/.test(word) ? 'an' : 'a');
