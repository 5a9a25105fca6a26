export * from './auth.js';
export * from './directory.js';
export * from './enums.js';
export * from './jobs.js';
export * from './notifications.js';
export * from './sla.js';
export * from './tickets.js';
export * from './webhooks.js';
