// HiGHS's options for QuietWatt's programs: one place for the solver's worker and for the tests that
// solve a program as the worker answers. Plain JavaScript, as the worker is.

/**
 * Presolve costs more than it saves on a 96-slot program (about 80 ms against 16 here); long
 * programs ask for it. A program with on/off slots is a mixed-integer one: proven within 1 % of the
 * best (about 60 ms), not to the last digit (up to 10 times longer for no kWh worth having).
 */
export function highsOptions({ presolve = false, timeLimitS } = {}) {
  return {
    output_flag: false,
    presolve: presolve ? 'on' : 'off',
    mip_rel_gap: 0.01,
    ...(timeLimitS === undefined ? {} : { time_limit: timeLimitS }),
  };
}
