import pino, { type DestinationStream, type Logger as PinoLogger } from 'pino';

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
  /** Human-readable lines on a terminal, JSON lines otherwise (or when LOG_FORMAT=json). */
  readonly pretty?: boolean;
  /** Where lines go; tests pass a stream and read the JSON lines back. */
  readonly destination?: DestinationStream;
}

/** The one root logger of a process; every component gets a child of it. */
export function createRootLogger(options: RootLoggerOptions): PinoLogger {
  const base = {
    level: options.level,
    base: { service: 'quietwatt' },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  };
  if (options.destination) return pino(base, options.destination);
  if (options.pretty) {
    return pino({
      ...base,
      transport: {
        target: 'pino-pretty',
        options: { colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,service' },
      },
    });
  }
  return pino(base);
}
