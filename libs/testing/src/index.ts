export * from './config/stack-env';
export * from './kafka-test-kit';
export * from './unique';
export * from './wait-for';
export * from './service-runner';
export * from './promql-metrics';
export * from './config/private-stack';
