import {
  type Availability,
  type DeviceAddress,
  SetpointPayload,
  type SetpointValue,
  setTopic,
  statusTopic,
} from './contract.js';
import type { DecodedCommand, EncodedMessage, OutputTarget } from './encoded.js';

/** Command topic of a native device: `<topic>/set` when it has a `topic` base, else `<prefix>/<site>/<space>/<device>/set`. */
export function nativeSetTopic(t: OutputTarget): string {
  return t.topic === undefined ? setTopic(t.prefix, t.address) : `${t.topic}/set`;
}

/** Seconds until `validUntil`, rounded up, at least 1 (MQTT 5 message expiry interval). */
export function expirySecondsUntil(validUntilMs: number, nowMs: number): number {
  return Math.max(1, Math.ceil((validUntilMs - nowMs) / 1000));
}

/**
 * The native setpoint message: retained (by default) so a controller that reconnects gets it, QoS 1,
 * and expiring at `validUntil` on brokers that speak MQTT 5.
 */
export function buildNativeMessage(t: OutputTarget, payload: SetpointPayload, nowMs: number): EncodedMessage {
  return {
    topic: nativeSetTopic(t),
    payload: JSON.stringify(payload),
    qos: t.options.qos,
    retain: t.options.retainNative,
    messageExpirySeconds: expirySecondsUntil(Date.parse(payload.validUntil), nowMs),
  };
}

/** Empty retained message: removes the retained setpoint when a lease ends or the service stops. */
export function buildClearMessage(t: OutputTarget): EncodedMessage {
  return { topic: nativeSetTopic(t), payload: '', qos: t.options.qos, retain: true };
}

export interface SetpointEnvelope {
  readonly id: string;
  readonly address: DeviceAddress;
  readonly issuedAtMs: number;
  readonly validUntilMs: number;
  readonly planId: string;
  readonly reason: string;
}

/** Assembles a contract payload from a value and its envelope (validated: throws only on a bug). */
export function makeSetpointPayload(value: SetpointValue, env: SetpointEnvelope): SetpointPayload {
  const { kind, ...rest } = value;
  return SetpointPayload.parse({
    contract: 1,
    id: env.id,
    site: env.address.site,
    space: env.address.space,
    device: env.address.device,
    kind,
    value: rest,
    issuedAt: new Date(env.issuedAtMs).toISOString(),
    validUntil: new Date(env.validUntilMs).toISOString(),
    planId: env.planId,
    reason: env.reason.slice(0, 200),
  });
}

/** The service's availability message; `offline` is also registered as the MQTT last will. */
export function availabilityMessage(prefix: string, state: Availability): EncodedMessage {
  return { topic: statusTopic(prefix), payload: state, qos: 1, retain: true };
}

/** Reads a native message back: the setpoint value it carries, or `cleared` for an empty payload. */
export function decodeNative(message: EncodedMessage): DecodedCommand | undefined {
  if (message.payload === '') return { kind: 'cleared' };
  let raw: unknown;
  try {
    raw = JSON.parse(message.payload);
  } catch {
    return undefined;
  }
  const parsed = SetpointPayload.safeParse(raw);
  if (!parsed.success) return undefined;
  const p = parsed.data;
  if (p.kind === 'lighting') return { kind: 'lighting', levelPct: p.value.levelPct };
  const v = p.value;
  switch (v.mode) {
    case 'off':
      return { kind: 'hvac', mode: 'off' };
    case 'cool':
    case 'heat':
      return { kind: 'hvac', mode: v.mode, setpointC: v.setpointC, ...(v.fan ? { fan: v.fan } : {}) };
    case 'fan':
      return { kind: 'hvac', mode: 'fan', ...(v.fan ? { fan: v.fan } : {}) };
    case 'auto':
      return {
        kind: 'hvac',
        mode: 'auto',
        heatSetpointC: v.heatSetpointC,
        coolSetpointC: v.coolSetpointC,
        ...(v.fan ? { fan: v.fan } : {}),
      };
  }
}
