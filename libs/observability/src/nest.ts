// The Nest adapter: HealthModule serves the probes and the scrape of a Nest app.
export * from './health.module';
