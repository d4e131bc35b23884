import type {
  SetpointAuditEntry,
  SetpointAuditQuery,
  SetpointAuditStore,
} from '../../../src/ports/stores.js';
import { byKeys } from './compare.js';

const MODES = new Set(['off', 'shadow', 'active']);
const order = byKeys<SetpointAuditEntry>(
  (e) => e.decidedAtMs,
  (e) => e.id,
);

export class MemorySetpointAuditStore implements SetpointAuditStore {
  private readonly entries = new Map<string, SetpointAuditEntry>();

  record(entry: SetpointAuditEntry): void {
    if (this.entries.has(entry.id)) throw new Error(`setpoint id '${entry.id}' already recorded`);
    if (!MODES.has(entry.mode)) throw new Error(`mode '${entry.mode}' is not off, shadow or active`);
    this.entries.set(entry.id, { ...entry });
  }

  markPublished(id: string, atMs: number): boolean {
    const e = this.entries.get(id);
    if (e === undefined) return false;
    this.entries.set(id, { ...e, publishedAtMs: e.publishedAtMs ?? atMs });
    return true;
  }

  markAcknowledged(id: string, atMs: number): boolean {
    const e = this.entries.get(id);
    if (e === undefined) return false;
    this.entries.set(id, { ...e, acknowledgedAtMs: e.acknowledgedAtMs ?? atMs });
    return true;
  }

  get(id: string): SetpointAuditEntry | undefined {
    const e = this.entries.get(id);
    return e === undefined ? undefined : { ...e };
  }

  query(q: SetpointAuditQuery): SetpointAuditEntry[] {
    const found = [...this.entries.values()]
      .filter(
        (e) =>
          e.decidedAtMs >= q.fromMs &&
          e.decidedAtMs < q.toMs &&
          (q.siteId === undefined || e.siteId === q.siteId) &&
          (q.spaceId === undefined || e.spaceId === q.spaceId) &&
          (q.deviceId === undefined || e.deviceId === q.deviceId),
      )
      .sort(order)
      .map((e) => ({ ...e }));
    return q.limit === undefined ? found : found.slice(0, q.limit);
  }

  latestForDevice(siteId: string, spaceId: string, deviceId: string): SetpointAuditEntry | undefined {
    const mine = [...this.entries.values()]
      .filter((e) => e.siteId === siteId && e.spaceId === spaceId && e.deviceId === deviceId)
      .sort(order);
    const last = mine[mine.length - 1];
    return last === undefined ? undefined : { ...last };
  }
}
