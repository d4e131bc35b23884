/** Life-safety kinds are listed so that config can name them; QuietWatt never controls them. */
export const DEVICE_KINDS = [
  'lighting',
  'hvac',
  'emergency-lighting',
  'co-ventilation',
  'smoke-ventilation',
] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];
export const LIFE_SAFETY_KINDS = ['emergency-lighting', 'co-ventilation', 'smoke-ventilation'] as const;
export type LifeSafetyKind = (typeof LIFE_SAFETY_KINDS)[number];

export function isLifeSafetyKind(kind: string): kind is LifeSafetyKind {
  return (LIFE_SAFETY_KINDS as readonly string[]).includes(kind);
}

export const DEVICE_OUTPUTS = ['native', 'zigbee2mqtt', 'tasmota', 'home-assistant'] as const;
export type DeviceOutput = (typeof DEVICE_OUTPUTS)[number];

/** Device kinds each output format can carry: the Zigbee2MQTT and Tasmota presets drive lights only. */
export const OUTPUT_KINDS: Readonly<Record<DeviceOutput, readonly ('lighting' | 'hvac')[]>> = {
  native: ['lighting', 'hvac'],
  zigbee2mqtt: ['lighting'],
  tasmota: ['lighting'],
  'home-assistant': ['lighting', 'hvac'],
};
