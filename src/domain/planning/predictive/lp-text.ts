/**
 * A small writer of CPLEX LP text, the format the solver reads. Coefficients are written in plain
 * decimal notation, rounded to 12 significant digits, so the text is stable and diffable.
 */

export interface LpTerm {
  readonly coef: number;
  readonly name: string;
}

export interface LpRow {
  readonly name: string;
  readonly terms: readonly LpTerm[];
  readonly op: '<=' | '>=' | '=';
  readonly rhs: number;
}

export interface LpBound {
  readonly name: string;
  readonly lo: number;
  readonly hi: number;
}

export interface LpModel {
  readonly objective: readonly LpTerm[];
  readonly rows: readonly LpRow[];
  readonly bounds: readonly LpBound[];
  /** Variables that take 0 or 1 only (a mixed-integer program). */
  readonly binaries?: readonly string[];
}

export function lpNumber(x: number): string {
  if (x === Number.POSITIVE_INFINITY) return 'inf';
  if (x === Number.NEGATIVE_INFINITY) return '-inf';
  if (!Number.isFinite(x)) throw new Error(`LP coefficient is not a number: ${x}`);
  const rounded = Number(x.toPrecision(12));
  if (Math.abs(rounded) < 1e-12) return '0';
  // toFixed avoids exponent notation; trailing zeros are trimmed.
  const digits = Math.max(0, Math.min(20, 12 - Math.floor(Math.log10(Math.abs(rounded)))));
  return rounded
    .toFixed(digits)
    .replace(/(\.\d*?)0+$/, '$1')
    .replace(/\.$/, '');
}

function expression(terms: readonly LpTerm[]): string {
  const parts = terms
    .filter((t) => t.coef !== 0)
    .map((t, i) => {
      const sign = t.coef < 0 ? '-' : i === 0 ? '' : '+';
      return `${sign} ${lpNumber(Math.abs(t.coef))} ${t.name}`.trim();
    });
  return parts.length > 0 ? parts.join(' ') : '0';
}

/** The model as LP text: minimize, rows, bounds (every variable bounded explicitly). */
export function lpText(model: LpModel): string {
  const lines = ['Minimize', ` obj: ${expression(model.objective)}`, 'Subject To'];
  for (const r of model.rows) lines.push(` ${r.name}: ${expression(r.terms)} ${r.op} ${lpNumber(r.rhs)}`);
  lines.push('Bounds');
  for (const b of model.bounds) lines.push(` ${lpNumber(b.lo)} <= ${b.name} <= ${lpNumber(b.hi)}`);
  if (model.binaries && model.binaries.length > 0) lines.push('Binary', ` ${model.binaries.join(' ')}`);
  lines.push('End');
  return lines.join('\n');
}
