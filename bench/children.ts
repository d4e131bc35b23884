/**
 * The child processes a bench starts (brokers, loaders, the service), killed when the bench's own
 * process exits for any reason, a thrown error included: a failed run must not leave a broker or a
 * service running to skew the next one.
 */
import type { ChildProcess } from 'node:child_process';

const children = new Set<ChildProcess>();

process.once('exit', () => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/** Kills `child` with the bench if it is still running then. */
export function ownChild<C extends ChildProcess>(child: C): C {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}
