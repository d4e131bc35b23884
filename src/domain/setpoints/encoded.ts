import type { DeviceOutputOptions } from '../../config/schema/control.js';
import { OUTPUT_KINDS } from '../devices/kinds.js';
import type { DeviceAddress, FanSpeed, HvacMode } from './contract.js';

/** One MQTT message handed to the actuator port (the MessageBus publish arguments). */
export interface EncodedMessage {
  readonly topic: string;
  readonly payload: string;
  readonly qos: 0 | 1 | 2;
  readonly retain: boolean;
  /** MQTT 5 message expiry interval, s; only on native setpoints. */
  readonly messageExpirySeconds?: number;
}

export const OUTPUT_FORMATS = ['native', 'zigbee2mqtt', 'tasmota', 'home-assistant'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];
export type ControlledKind = 'lighting' | 'hvac';

/** Everything an encoder needs to know about one device. */
export interface OutputTarget {
  readonly address: DeviceAddress;
  readonly kind: ControlledKind;
  readonly output: OutputFormat;
  /** The device's configured `topic`, if any (meaning depends on the format). */
  readonly topic?: string | undefined;
  readonly options: DeviceOutputOptions;
  /** `mqtt.topicPrefix`. */
  readonly prefix: string;
}

/** What a list of encoded messages makes the device do, read back from the wire. */
export type DecodedCommand =
  | { readonly kind: 'lighting'; readonly levelPct: number; readonly safetyTimerSeconds?: number }
  | {
      readonly kind: 'hvac';
      readonly mode: HvacMode;
      readonly setpointC?: number;
      readonly heatSetpointC?: number;
      readonly coolSetpointC?: number;
      readonly fan?: FanSpeed;
    }
  | { readonly kind: 'cleared' };

/** Which device kinds each output format can carry (`OUTPUT_KINDS`, which the config check enforces). */
export function supportsKind(output: OutputFormat, kind: ControlledKind): boolean {
  return OUTPUT_KINDS[output].includes(kind);
}
