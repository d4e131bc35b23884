import { z } from 'zod';

/** Ids appear in MQTT topics and file names: keep them to a safe alphabet. */
export const Id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]*$/, 'lowercase letters, digits, "-" and "_", starting with a letter or digit')
  .max(64);

/** An MQTT topic that QuietWatt subscribes to or publishes on (no wildcards). */
export const Topic = z
  .string()
  .min(1)
  .max(256)
  .refine((t) => !t.includes('+') && !t.includes('#'), 'a topic without wildcards (+ or #)');

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
  .meta({ description: 'IANA time zone name, e.g. Asia/Shanghai' });

/** "HH:MM" local time of day, 00:00..24:00. */
export const TimeOfDay = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'a time of day "HH:MM" (00:00 to 24:00)');

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export const Weekday = z.enum(WEEKDAYS);
