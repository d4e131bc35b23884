import type { z } from 'zod';
import { type Rejection, reject } from './reasons.js';

const NON_FINITE_TEXT = /^[+-]?(nan|inf|infinity)$/i;

/** True for NaN/Infinity numbers and for texts such as "NaN", "Infinity", "-inf". */
export function isNonFinite(value: unknown): boolean {
  if (typeof value === 'number') return !Number.isFinite(value);
  return typeof value === 'string' && NON_FINITE_TEXT.test(value.trim());
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current = input;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'number') return String(value);
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

export function pathText(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '(payload)' : path.map(String).join('.');
}

/**
 * Turns a failed zod parse into a rejection: `non-finite` when the offending value is NaN/Infinity
 * (or a text spelling one), else `wrong-type` naming the field, the value and what was expected.
 */
export function classifyZodError(
  error: z.ZodError,
  input: unknown,
  pathPrefix: readonly PropertyKey[] = [],
): Rejection {
  const issue = error.issues[0];
  if (!issue) return reject('wrong-type', 'payload does not match the format');
  const value = valueAt(input, issue.path);
  const where = pathText([...pathPrefix, ...issue.path]);
  if (isNonFinite(value))
    return reject('non-finite', `${where}: ${describeValue(value)} is not a finite number`);
  return reject('wrong-type', `${where}: ${issue.message} (got ${describeValue(value)})`);
}
