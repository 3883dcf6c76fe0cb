export * from './notifications-runner';
export * from './notifications.env';
export * from './notifications.module';
