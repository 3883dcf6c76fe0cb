export * from './analytics-poller';
export * from './poller.env';
export * from './poller.module';
