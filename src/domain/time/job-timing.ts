/**
 * When a recurring job runs. Kept to shapes that both node-cron (wall-clock time) and the
 * simulated scheduler (simulated or accelerated time) can follow exactly.
 */
export type JobTiming =
  | { readonly everySeconds: number }
  | { readonly everyMinutes: number; readonly atSecond?: number }
  | { readonly dailyAt: string; readonly timezone: string };
