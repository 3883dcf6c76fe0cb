// Thin edge of POST /v1/genesys/events: reads the request, calls the use case, records metrics,
// writes 202 or problem+json. Mounted as a plain Fastify route by configureIngestHttp (not through
// Nest's router): the hot endpoint skips Nest's per-request pipes, guards, interceptors and rxjs.
// Errors it throws, like Fastify's own body errors, still reach Nest's exception filters.
import { Inject, Injectable } from '@nestjs/common';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { SIGNATURE_HEADER, SIGNATURE_TIMESTAMP_HEADER } from '../auth/request-authenticator';
import { IngestEventsUseCase, type IngestOutcome } from '../ingest/ingest-events.usecase';
import { IngestMetrics } from '../ingest/ingest.metrics';
import { INGEST_SETTINGS, type IngestSettings } from '../ingest/ingest-settings';
import { problem, PROBLEM_CONTENT_TYPE } from './problem';
import { TraceparentPool } from './traceparent.pool';

const TRACEPARENT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

@Injectable()
export class GenesysEventsController {
  private readonly traceparents = new TraceparentPool();

  constructor(
    @Inject(IngestEventsUseCase) private readonly ingest: IngestEventsUseCase,
    @Inject(IngestMetrics) private readonly metrics: IngestMetrics,
    @Inject(INGEST_SETTINGS) private readonly settings: IngestSettings,
  ) {}

  async receive(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const incomingTrace = header(request, 'traceparent');
    const outcome = await this.ingest.execute({
      rawBody: Buffer.isBuffer(request.body) ? request.body : undefined,
      authorization: header(request, 'authorization'),
      signature: header(request, SIGNATURE_HEADER),
      signatureTimestamp: header(request, SIGNATURE_TIMESTAMP_HEADER),
      traceparent:
        incomingTrace !== undefined && TRACEPARENT.test(incomingTrace)
          ? incomingTrace
          : this.traceparents.next(),
      receivedAt: Date.now(),
    });
    this.record(outcome);
    return this.respond(reply, outcome);
  }

  private record(outcome: IngestOutcome): void {
    switch (outcome.status) {
      case 202:
        this.metrics.countEvents(outcome.events, 'accepted');
        if (outcome.heartbeats > 0) this.metrics.heartbeatsDropped.inc(outcome.heartbeats);
        if (outcome.ignored > 0) this.metrics.countRefused('ignored', outcome.ignored);
        return;
      case 503:
        this.metrics.countEvents(outcome.events, 'failed');
        return;
      case 401:
        this.metrics.countRefused('unauthorised');
        return;
      case 400:
      case 413:
      case 422:
        this.metrics.countRefused('unrecognised');
        return;
    }
  }

  private respond(reply: FastifyReply, outcome: IngestOutcome): FastifyReply {
    switch (outcome.status) {
      case 202:
        // Serialised by hand (event ids are hex digests): skips Fastify's generic serialiser.
        return reply
          .code(202)
          .type('application/json; charset=utf-8')
          .send(
            `{"accepted":${outcome.events.length},"eventIds":${JSON.stringify(outcome.events.map((event) => event.eventId))}}`,
          );
      case 400:
        return sendProblem(reply, problem(400, 'invalid-json', 'Invalid JSON', outcome.detail));
      case 401:
        return reply
          .header('www-authenticate', 'Bearer realm="ingest"')
          .code(401)
          .type(PROBLEM_CONTENT_TYPE)
          .send(
            problem(
              401,
              'unauthorized',
              'Missing or bad credentials',
              `authentication failed: ${outcome.failure}`,
              { reason: outcome.failure },
            ),
          );
      case 413:
        return sendProblem(reply, problem(413, 'too-many-events', 'Too many events', outcome.detail));
      case 422: {
        const where = outcome.index === undefined ? '' : ` (array item ${outcome.index})`;
        const detail = `the body is in no accepted format${where}: missing ${outcome.missing}. Accepted formats: ${outcome.accepted.join(' | ')}`;
        return sendProblem(
          reply,
          problem(422, 'unrecognised-format', 'Unrecognised event format', detail, {
            missing: outcome.missing,
            acceptedFormats: outcome.accepted,
            index: outcome.index,
          }),
        );
      }
      case 503:
        return reply
          .header('retry-after', String(this.settings.INGEST_RETRY_AFTER_SECONDS))
          .code(503)
          .type(PROBLEM_CONTENT_TYPE)
          .send(
            problem(
              503,
              'broker-unavailable',
              'Kafka unavailable',
              `events were not acknowledged by the broker (${outcome.reason}); retry later`,
              { reason: outcome.reason },
            ),
          );
    }
  }
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function sendProblem(reply: FastifyReply, body: ReturnType<typeof problem>): FastifyReply {
  return reply.code(body.status).type(PROBLEM_CONTENT_TYPE).send(body);
}
