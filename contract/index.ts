/** The typed contract shared by main, preload and renderer. */
export * from './dto.js';
export * from './errors.js';
export * from './operation-names.js';
export * from './operations.js';
export * from './topics.js';
export * from './validate.js';
export * from './bridge.js';
export * from './caller.js';
