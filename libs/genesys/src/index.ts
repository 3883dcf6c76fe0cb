export * from './formats';
export * from './client';
