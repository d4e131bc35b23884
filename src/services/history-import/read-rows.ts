/** One CSV record with the file line it started on (1 = the header). */
export interface ExportRecord {
  readonly line: number;
  readonly cells: readonly string[];
}

/** How to read a meter export; resolved from its header and the command's options. */
export interface ExportFormat {
  /** interval: energy (or mean power) per row; register: a cumulative kWh reading per row. */
  readonly kind: 'interval' | 'register';
  readonly layout: string;
  readonly timeColumn: string;
  readonly valueColumn: string;
  readonly unit: 'kWh' | 'kW';
  readonly hourEnding: boolean;
  readonly zeroMeansMissing: boolean;
  /** Unit multiplier of the meter (e.g. 0.001 for Wh). */
  readonly multiplier: number;
  /** Register layout: a gap between readings longer than this is missing, never apportioned. */
  readonly maxGapMinutes: number;
}

/** Text of a timestamp to UTC ms (NaN when unreadable); `prevMs` resolves repeated DST hours. */
export type ParseTime = (text: string, prevMs: number) => number;

/** Energy over [startMs, endMs), or a stretch known to be missing (energyKWh null). */
export interface EnergySpan {
  readonly startMs: number;
  readonly endMs: number;
  readonly energyKWh: number | null;
}

export interface ReadRowsResult {
  readonly spans: EnergySpan[];
  readonly stepMinutes: number;
  readonly rows: number;
  readonly missingRows: number;
  /** Register layout: decreases of the register (resets or meter swaps); their spans are missing. */
  readonly resets: number;
  readonly fromMs: number;
  readonly toMs: number;
}

export class ImportDataError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
    this.name = 'ImportDataError';
  }
}

const ALLOWED_STEPS = [5, 10, 15, 30, 60];
const MAX_PROBLEMS = 20;

function quoted(text: string): string {
  const t = text.length > 40 ? `${text.slice(0, 37)}...` : text;
  return JSON.stringify(t);
}

/** Most common positive step between consecutive timestamps, minutes. */
function commonStepMinutes(stamps: readonly number[]): number | undefined {
  const counts = new Map<number, number>();
  for (let i = 1; i < stamps.length; i++) {
    const d = ((stamps[i] ?? 0) - (stamps[i - 1] ?? 0)) / 60_000;
    if (d > 0) counts.set(d, (counts.get(d) ?? 0) + 1);
  }
  let best: number | undefined;
  let bestN = 0;
  for (const [d, n] of counts) {
    if (n > bestN || (n === bestN && best !== undefined && d < best)) {
      best = d;
      bestN = n;
    }
  }
  return best;
}

/**
 * Reads the records of a meter export into energy spans, strictly: an unreadable timestamp, a value
 * that is not a number, a negative energy, a timestamp that repeats or goes back, or one in the
 * future is an error naming the line and the field, and nothing is imported. Empty values (and
 * zeros under "zero means missing") are missing readings, and so are rows absent from the grid.
 */
export function readExportRows(
  header: readonly string[],
  records: readonly ExportRecord[],
  format: ExportFormat,
  parseTime: ParseTime,
  nowMs: number,
): ReadRowsResult {
  const ti = header.indexOf(format.timeColumn);
  const vi = header.indexOf(format.valueColumn);
  if (ti < 0 || vi < 0) {
    const missing = ti < 0 ? format.timeColumn : format.valueColumn;
    throw new ImportDataError([
      `line 1: no column ${quoted(missing)} in the header ${quoted(header.join(','))}`,
    ]);
  }
  const problems: string[] = [];
  const problem = (text: string): void => {
    if (problems.length < MAX_PROBLEMS) problems.push(text);
  };
  const stamps: number[] = [];
  const values: (number | null)[] = [];
  const lines: number[] = [];
  let prev = Number.NEGATIVE_INFINITY;
  let prevLine = 0;
  let missingRows = 0;
  for (const rec of records) {
    const timeText = rec.cells[ti] ?? '';
    const ms = parseTime(timeText, prev);
    if (!Number.isFinite(ms)) {
      problem(
        `line ${rec.line}, field ${format.timeColumn}: ${quoted(timeText)} is not a time (expected e.g. 2024-03-01 13:00, 2024-03-01T13:00:00+08:00 or 03/01/2024 13:00)`,
      );
      continue;
    }
    if (ms <= prev) {
      problem(
        `line ${rec.line}, field ${format.timeColumn}: ${quoted(timeText)} ${ms === prev ? 'repeats' : 'is earlier than'} the time on line ${prevLine}; rows must be in time order without repeats`,
      );
      continue;
    }
    if (ms > nowMs) {
      problem(`line ${rec.line}, field ${format.timeColumn}: ${quoted(timeText)} is in the future`);
      continue;
    }
    prev = ms;
    prevLine = rec.line;
    const valueText = (rec.cells[vi] ?? '').trim();
    let value: number | null;
    if (valueText === '' || /^(nan|na|null|n\/a|-)$/i.test(valueText)) value = null;
    else {
      const n = Number(valueText);
      if (!Number.isFinite(n) || !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(valueText)) {
        problem(`line ${rec.line}, field ${format.valueColumn}: ${quoted(valueText)} is not a number`);
        continue;
      }
      if (n < 0) {
        problem(
          `line ${rec.line}, field ${format.valueColumn}: ${valueText} is negative; ${format.kind === 'register' ? 'a register' : 'interval energy'} is never below zero`,
        );
        continue;
      }
      value = format.zeroMeansMissing && n === 0 ? null : n * format.multiplier;
    }
    if (value === null) missingRows++;
    stamps.push(ms);
    values.push(value);
    lines.push(rec.line);
  }
  if (problems.length === 0 && stamps.length < 2) {
    problems.push(
      `the file has ${stamps.length} data row(s); at least 2 are needed to know the interval length`,
    );
  }
  if (problems.length > 0) throw new ImportDataError(problems);

  const step = commonStepMinutes(stamps) ?? 60;
  if (format.kind === 'interval' && !ALLOWED_STEPS.includes(step)) {
    throw new ImportDataError([
      `rows are ${step} minutes apart; import takes interval data of ${ALLOWED_STEPS.join(', ')} minutes (daily or monthly billing totals cannot be split into hours honestly)`,
    ]);
  }
  const spans =
    format.kind === 'register'
      ? registerSpans(stamps, values, format.maxGapMinutes)
      : intervalSpans(stamps, values, step, format);
  const first = spans[0];
  const last = spans.at(-1);
  return {
    spans: spans.map((s) => s.span),
    stepMinutes: step,
    rows: records.length,
    missingRows,
    resets: spans.filter((s) => s.reset).length,
    fromMs: first?.span.startMs ?? 0,
    toMs: last?.span.endMs ?? 0,
  };
}

function intervalSpans(
  stamps: readonly number[],
  values: readonly (number | null)[],
  stepMinutes: number,
  format: ExportFormat,
): { span: EnergySpan; reset: boolean }[] {
  const stepMs = stepMinutes * 60_000;
  const shift = format.hourEnding ? stepMs : 0;
  const out: { span: EnergySpan; reset: boolean }[] = [];
  let prevEnd: number | undefined;
  for (let i = 0; i < stamps.length; i++) {
    const startMs = (stamps[i] ?? 0) - shift;
    const endMs = Math.min(startMs + stepMs, (stamps[i + 1] ?? Number.POSITIVE_INFINITY) - shift);
    // A row absent from the grid is a missing reading, not zero.
    if (prevEnd !== undefined && startMs > prevEnd) {
      out.push({ span: { startMs: prevEnd, endMs: startMs, energyKWh: null }, reset: false });
    }
    const v = values[i] ?? null;
    const energyKWh = v === null ? null : format.unit === 'kW' ? (v * (endMs - startMs)) / 3_600_000 : v;
    out.push({ span: { startMs, endMs, energyKWh }, reset: false });
    prevEnd = endMs;
  }
  return out;
}

function registerSpans(
  stamps: readonly number[],
  values: readonly (number | null)[],
  maxGapMinutes: number,
): { span: EnergySpan; reset: boolean }[] {
  const out: { span: EnergySpan; reset: boolean }[] = [];
  let prevMs: number | undefined;
  let prevValue: number | undefined;
  for (let i = 0; i < stamps.length; i++) {
    const v = values[i];
    const ms = stamps[i] ?? 0;
    if (v === null || v === undefined) continue;
    if (prevMs !== undefined && prevValue !== undefined) {
      const rise = v - prevValue;
      const tooLong = ms - prevMs > maxGapMinutes * 60_000;
      // A falling register was reset or swapped: when inside the span is unknown, so it is missing.
      const energyKWh = rise < 0 || tooLong ? null : rise;
      out.push({ span: { startMs: prevMs, endMs: ms, energyKWh }, reset: rise < 0 });
    }
    prevMs = ms;
    prevValue = v;
  }
  return out;
}
