interface HeldSignal {
  readonly signal: NodeJS.Signals | undefined;
  release(): void;
}

/**
 * The stop signal that came while the command was loading, held by bin.js. Call once the command's
 * own handlers are installed: bin.js's are removed, so from then on only the command's see signals.
 */
export function takeEarlySignal(): NodeJS.Signals | undefined {
  const key = Symbol.for('quietwatt.earlySignal');
  const held = (globalThis as Record<symbol, HeldSignal | undefined>)[key];
  if (!held) return undefined;
  held.release();
  delete (globalThis as Record<symbol, HeldSignal | undefined>)[key];
  return held.signal;
}

/** The stop signal held so far, if any, leaving bin.js's handlers in place (so a later one is held too). */
export function heldEarlySignal(): NodeJS.Signals | undefined {
  const held = (globalThis as Record<symbol, HeldSignal | undefined>)[Symbol.for('quietwatt.earlySignal')];
  return held?.signal;
}
