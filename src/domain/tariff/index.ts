export * from './co2.js';
export * from './local-time.js';
export * from './presets.js';
export * from './tariff.js';
export * from './types.js';
