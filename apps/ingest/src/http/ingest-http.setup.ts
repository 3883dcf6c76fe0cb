// Fastify-level wiring: the body limit, a raw-Buffer JSON parser (the HMAC is computed over the exact
// bytes received), the events route itself (a plain Fastify route, see GenesysEventsController),
// problem+json for errors raised before the handler runs (413, 415, bad Content-Length; see
// ProblemExceptionFilter), and response metrics for the events route.
import { type Logger } from '@crm/observability';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { type AppEnv } from '../config/env.schema';
import { IngestMetrics } from '../ingest/ingest.metrics';
import { GenesysEventsController } from './genesys-events.controller';
import { ProblemExceptionFilter } from './problem-exception.filter';
import { PROBLEM_CONTENT_TYPE } from './problem';

export const EVENTS_ROUTE = '/v1/genesys/events';
// application/json and the +json family (application/cloudevents+json, …), with or without parameters.
const JSON_TYPES = /^application\/([\w.+-]+\+)?json(\s*;.*)?$/i;

export function ingestAdapter(env: Pick<AppEnv, 'INGEST_BODY_LIMIT_BYTES'>): FastifyAdapter {
  return new FastifyAdapter({
    bodyLimit: env.INGEST_BODY_LIMIT_BYTES,
    logger: false,
    return503OnClosing: true,
  });
}

/** Call before `init()`/`listen()`. The Nest app must be created with `bodyParser: false`. */
export function configureIngestHttp(
  app: NestFastifyApplication,
  env: Pick<AppEnv, 'INGEST_BODY_LIMIT_BYTES'>,
  logger?: Logger,
): void {
  const fastify = app.getHttpAdapter().getInstance();
  const metrics = app.get(IngestMetrics);
  const controller = app.get(GenesysEventsController);

  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(
    JSON_TYPES,
    { parseAs: 'buffer', bodyLimit: env.INGEST_BODY_LIMIT_BYTES },
    (_request, body, done) => done(null, body),
  );

  const problems = new ProblemExceptionFilter(env.INGEST_BODY_LIMIT_BYTES, logger);
  app.useGlobalFilters(problems);
  fastify.route({
    method: 'POST',
    url: EVENTS_ROUTE,
    handler: (request, reply) => controller.receive(request, reply),
    // Nest installs its (filtered) error handler only at init, after this route captured Fastify's
    // default one, so the route maps its errors (body limit, media type, a throw) itself.
    errorHandler: (error, _request, reply) => {
      const body = problems.toProblem(error);
      void reply.code(body.status).type(PROBLEM_CONTENT_TYPE).send(body);
    },
  });

  fastify.addHook('onResponse', (request, reply, done) => {
    if (request.routeOptions.url === EVENTS_ROUTE) {
      metrics.countResponse(reply.statusCode);
      metrics.requestDuration.observe(reply.elapsedTime / 1000);
    }
    done();
  });
}
