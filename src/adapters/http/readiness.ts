import { statfsSync } from 'node:fs';

export interface ReadinessCheck {
  readonly ok: boolean;
  readonly detail?: string;
}

export interface ReadinessProbe {
  check(): { readonly ready: boolean; readonly checks: Readonly<Record<string, ReadinessCheck>> };
}

export interface StoreProbeOptions {
  /** Writes and rolls back a row; throws when the store cannot be written. */
  readonly writeProbe: () => void;
  /** Directory of the store, for the free-space check. */
  readonly dir: string;
  /** Below this many free bytes the store counts as full. Default 64 MiB. */
  readonly minFreeBytes?: number;
  /** Whether the MQTT client is connected; absent = not checked. */
  readonly mqttConnected?: () => boolean;
}

/**
 * Ready = the store takes writes and has room, and MQTT is connected. A full or read-only store
 * makes the service not ready (an orchestrator stops routing to it) but not dead (no restart loop,
 * which would not free the disk).
 */
export function storeReadiness(options: StoreProbeOptions): ReadinessProbe {
  const minFree = options.minFreeBytes ?? 64 * 1024 * 1024;
  return {
    check() {
      const checks: Record<string, ReadinessCheck> = {};
      let store: ReadinessCheck = { ok: true };
      try {
        const fs = statfsSync(options.dir);
        const free = fs.bavail * fs.bsize;
        if (free < minFree) store = { ok: false, detail: `disk almost full: ${free} bytes free` };
      } catch (error) {
        store = { ok: false, detail: `cannot stat ${options.dir}: ${(error as Error).message}` };
      }
      if (store.ok) {
        try {
          options.writeProbe();
        } catch (error) {
          store = { ok: false, detail: `store not writable: ${(error as Error).message}` };
        }
      }
      checks.store = store;
      if (options.mqttConnected)
        checks.mqtt = options.mqttConnected() ? { ok: true } : { ok: false, detail: 'MQTT not connected' };
      return { ready: Object.values(checks).every((c) => c.ok), checks };
    },
  };
}
