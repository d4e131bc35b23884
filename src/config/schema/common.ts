import { z } from 'zod';
import { isWildcard } from '../../domain/messaging/topic-filter.js';

/**
 * Ids appear in MQTT topics and file names: keep them to a safe alphabet. Not marked here: each use
 * marks whether it declares an id (`idOf`) or refers to one (`ref`), see marks.ts.
 */
export const Id = z
  .string()
  .max(64)
  .regex(
    /^[a-z0-9][a-z0-9_-]*$/,
    'an id of lowercase letters, digits, "-" and "_", starting with a letter or digit',
  );

/** An MQTT topic that QuietWatt subscribes to or publishes on (no wildcards). */
export const Topic = z
  .string()
  .min(1)
  .max(256)
  .refine((t) => !isWildcard(t), 'a topic without wildcards (+ or #)')
  .refine((t) => t.trim() === t && !t.includes('\u0000'), 'a topic without surrounding spaces or NUL')
  .meta({ text: true });

/**
 * An MQTT topic filter with at least one wildcard: `+` alone at a level, `#` alone at the last level
 * (MQTT 3.1.1 section 4.7.1).
 */
export const WildcardFilter = z
  .string()
  .min(1)
  .max(256)
  .refine(isWildcard, 'a filter with a wildcard (+ or #)')
  .refine(
    (f) =>
      f.split('/').every((level, i, levels) => {
        if (level.includes('#')) return level === '#' && i === levels.length - 1;
        return !level.includes('+') || level === '+';
      }),
    '+ alone at a level, # alone at the last level',
  )
  .refine((f) => f.trim() === f && !f.includes('\u0000'), 'a filter without surrounding spaces or NUL')
  .meta({ text: true });

/** An IANA time zone name such as Asia/Shanghai. */
export const TimeZone = z
  .string()
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'an IANA time zone such as Asia/Shanghai')
  .meta({ text: true, description: 'IANA time zone name, e.g. Asia/Shanghai' });

/** "HH:MM" local time of day, 00:00..24:00. */
export const TimeOfDay = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'a time of day "HH:MM" (00:00 to 24:00)')
  .meta({ text: true });

/** A local calendar day "YYYY-MM-DD" that exists: 2025-13-01 and 2025-02-29 are refused. */
export const IsoDate = z.iso
  .date({ error: 'a date YYYY-MM-DD that exists on the calendar, e.g. 2025-12-01' })
  .meta({ text: true });

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export const Weekday = z.enum(WEEKDAYS);

/** The name of an environment variable: secrets are read from the environment, never from the file. */
export const EnvVarName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name such as QW_MQTT_PASSWORD')
  .meta({ text: true });

export const Percent = z.number().min(0).max(100);

/** Celsius range accepted for any setpoint; narrower per-device limits live on the device. */
export const SetpointC = z.number().min(5).max(35);
