// The Nest adapter of @crm/observability: HealthModule serves the probes and the scrape of a Nest
// app. A project of its own so that a service without Nest (the extractor) has no Nest dependency.
export * from './health.module';
