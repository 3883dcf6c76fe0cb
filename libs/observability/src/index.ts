// Framework-free: a service that does not run Nest imports this without loading Nest. The Nest
// module is '@crm/observability/nest'.
export * from './logger';
export * from './metrics';
export * from './health';
export * from './health-endpoints';
export * from './health-server';
