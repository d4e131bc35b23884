export * from './contract.js';
export * from './encode.js';
export * from './encoded.js';
export * from './home-assistant.js';
export * from './native.js';
export * from './resolution.js';
export * from './tasmota.js';
export * from './zigbee2mqtt.js';
