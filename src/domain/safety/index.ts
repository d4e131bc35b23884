export * from './apply-safety.js';
export * from './bounds.js';
export * from './context.js';
export * from './device-record.js';
export * from './emit.js';
export * from './release.js';
export * from './schedule-value.js';
export * from './staleness.js';
