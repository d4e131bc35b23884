import { createRequire } from 'node:module';
import pino, { type DestinationStream, type LoggerOptions, type Logger as PinoLogger } from 'pino';
import type { LogTime } from './log-time.js';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

/** Paths whose values never reach a log line, wherever they appear. */
export const REDACTED_PATHS = [
  'password',
  'username',
  '*.password',
  '*.username',
  'mqtt.password',
  'mqtt.username',
  'token',
  '*.token',
];

export interface RootLoggerOptions {
  readonly level: LogLevel;
  /**
   * Human-readable lines on a terminal, JSON lines otherwise (or when LOG_FORMAT=json). Needs
   * pino-pretty, a development dependency: without it (a production install) lines stay JSON.
   */
  readonly pretty?: boolean;
  /** Where lines go; tests pass a stream and read the JSON lines back. */
  readonly destination?: DestinationStream;
  /**
   * Under a simulated or lockstep clock: lines carry the service's time (once it follows a clock)
   * and the wall clock's as `wallTime`. Absent under the system clock: pino's own timestamps.
   */
  readonly time?: LogTime;
}

/** Fields a terminal line leaves out: the same on every line, or (`wallTime`) the time the reader lives in. */
const PRETTY_IGNORE = 'pid,hostname,service,wallTime';

/** The one root logger of a process; every component gets a child of it. */
export function createRootLogger(options: RootLoggerOptions): PinoLogger {
  const base: LoggerOptions = {
    level: options.level,
    base: { service: 'quietwatt' },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    ...(options.time ? { timestamp: options.time.timestamp } : {}),
  };
  if (options.destination) return pino(base, options.destination);
  if (options.pretty && prettyInstalled()) {
    return pino({
      ...base,
      transport: { target: 'pino-pretty', options: prettyOptions(options.time !== undefined) },
    });
  }
  return pino(base);
}

/** Whether pino-pretty can be loaded: pino's transport would fail at start-up without it. */
export function prettyInstalled(
  resolve: (id: string) => string = createRequire(import.meta.url).resolve,
): boolean {
  try {
    resolve('pino-pretty');
    return true;
  } catch {
    return false;
  }
}

/** How a terminal shows the lines (pino-pretty's options); `withDate` under a simulated clock. */
export function prettyOptions(withDate: boolean): Record<string, string | boolean> {
  return {
    colorize: true,
    // One event, one line: fields follow the message on the same line (an error's stack still breaks).
    singleLine: true,
    // Simulated days pass in minutes, so their lines need the date as well as the time.
    translateTime: withDate ? 'SYS:yyyy-mm-dd HH:MM:ss' : 'SYS:HH:MM:ss',
    ignore: PRETTY_IGNORE,
  };
}
