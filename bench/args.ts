/** Command-line options of the bench scripts: `--name value`. */

/** The value after `--name`, or undefined when the option is absent. */
export function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

export function stringArg(name: string, fallback: string): string {
  return argValue(name) ?? fallback;
}

export function numberArg(name: string, fallback: number): number {
  const v = argValue(name);
  return v === undefined ? fallback : Number(v);
}

/** A comma-separated list of numbers; `none` is the empty list. */
export function listArg(name: string, fallback: string): number[] {
  const s = stringArg(name, fallback);
  return s === 'none' ? [] : s.split(',').map(Number);
}
