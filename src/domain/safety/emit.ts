import {
  encodeHandback,
  encodePreset,
  encodeSetpoint,
  type PresetEncodeOptions,
} from '../setpoints/encode.js';
import type { EncodedMessage, OutputTarget } from '../setpoints/encoded.js';
import type { SafetyOutcome } from './apply-safety.js';
import { lightingRange } from './bounds.js';
import type { SafetyContext } from './context.js';

/**
 * Tasmota PulseTime applies only where "off" is a safe state: the space type keeps no safety
 * minimum and the device has no minimum level. Elsewhere the timer is kept disabled (0).
 */
export function safetyTimerApplies(ctx: SafetyContext, target: OutputTarget): boolean {
  if (target.output !== 'tasmota' || !target.options.tasmotaSafetyTimer || target.kind !== 'lighting')
    return false;
  return lightingRange(ctx.device, ctx.spaceType, ctx.control).lo === 0;
}

/** The encoded messages to hand to the actuator port for an outcome ([] when nothing is published). */
export function messagesForOutcome(
  outcome: SafetyOutcome,
  target: OutputTarget,
  ctx: SafetyContext,
  nowMs: number,
): EncodedMessage[] {
  if (outcome.action === 'none' || !outcome.publish) return [];
  const timer = target.output === 'tasmota' && target.options.tasmotaSafetyTimer;
  if (outcome.action === 'fallback') {
    // Handed back: the device's own use must not be timed.
    const o: PresetEncodeOptions = timer ? { pulseTimeSeconds: 0 } : {};
    return encodeHandback(target, outcome.value, o);
  }
  if (target.output === 'native') return encodeSetpoint(target, outcome.payload, outcome.value, nowMs);
  let o: PresetEncodeOptions = {};
  if (timer) {
    o = safetyTimerApplies(ctx, target)
      ? {
          pulseTimeSeconds:
            Math.ceil((outcome.validUntilMs - nowMs) / 1000) + target.options.safetyTimerGraceSeconds,
        }
      : { pulseTimeSeconds: 0 };
  }
  return encodePreset(target, outcome.value, o);
}
