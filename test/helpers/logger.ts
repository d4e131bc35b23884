import type { Logger } from '../../src/ports/logger.js';

export interface CapturedLine {
  readonly level: 'trace' | 'debug' | 'info' | 'warn' | 'error';
  readonly obj: object;
  readonly msg: string | undefined;
}

/** A Logger that keeps its lines in memory so tests can read what was logged, and prints nothing. */
export function captureLogger(lines: CapturedLine[] = []): Logger & { lines: CapturedLine[] } {
  const make = (bindings: object): Logger & { lines: CapturedLine[] } => {
    const at =
      (level: CapturedLine['level']) =>
      (obj: object, msg?: string): void => {
        lines.push({ level, obj: { ...bindings, ...obj }, msg });
      };
    return {
      lines,
      trace: at('trace'),
      debug: at('debug'),
      info: at('info'),
      warn: at('warn'),
      error: at('error'),
      child: (more) => make({ ...bindings, ...more }),
    };
  };
  return make({});
}
