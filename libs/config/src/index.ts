export * from './config.error';
export * from './load-config';
export * from './env-fields';
export * from './kafka.env';
