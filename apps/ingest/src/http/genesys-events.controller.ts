// Thin edge of POST /v1/genesys/events: reads the request, calls the use case, records metrics,
// writes 202 or problem+json.
import { Controller, Inject, Post, Req, Res } from '@nestjs/common';
import { newTraceparent } from '@crm/kafka-core';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { SIGNATURE_HEADER, SIGNATURE_TIMESTAMP_HEADER } from '../auth/request-authenticator';
import { IngestEventsUseCase, type IngestOutcome } from '../ingest/ingest-events.usecase';
import { IngestMetrics } from '../ingest/ingest.metrics';
import { INGEST_SETTINGS, type IngestSettings } from '../ingest/ingest-settings';
import { problem, PROBLEM_CONTENT_TYPE } from './problem';

const TRACEPARENT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

@Controller('v1/genesys')
export class GenesysEventsController {
  constructor(
    @Inject(IngestEventsUseCase) private readonly ingest: IngestEventsUseCase,
    @Inject(IngestMetrics) private readonly metrics: IngestMetrics,
    @Inject(INGEST_SETTINGS) private readonly settings: IngestSettings,
  ) {}

  @Post('events')
  async receive(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const incomingTrace = header(request, 'traceparent');
    const outcome = await this.ingest.execute({
      rawBody: Buffer.isBuffer(request.body) ? request.body : undefined,
      authorization: header(request, 'authorization'),
      signature: header(request, SIGNATURE_HEADER),
      signatureTimestamp: header(request, SIGNATURE_TIMESTAMP_HEADER),
      traceparent:
        incomingTrace !== undefined && TRACEPARENT.test(incomingTrace) ? incomingTrace : newTraceparent(),
      receivedAt: Date.now(),
    });
    this.record(outcome);
    await this.respond(reply, outcome);
  }

  private record(outcome: IngestOutcome): void {
    switch (outcome.status) {
      case 202:
        this.metrics.countEvents(outcome.events, 'accepted');
        if (outcome.heartbeats > 0) this.metrics.heartbeatsDropped.inc(outcome.heartbeats);
        if (outcome.ignored > 0)
          this.metrics.events.inc({ source: 'NONE', kind: 'NONE', outcome: 'ignored' }, outcome.ignored);
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

  private async respond(reply: FastifyReply, outcome: IngestOutcome): Promise<void> {
    switch (outcome.status) {
      case 202:
        await reply
          .code(202)
          .send({ accepted: outcome.events.length, eventIds: outcome.events.map((event) => event.eventId) });
        return;
      case 400:
        await sendProblem(reply, problem(400, 'invalid-json', 'Invalid JSON', outcome.detail));
        return;
      case 401:
        await reply
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
        return;
      case 413:
        await sendProblem(reply, problem(413, 'too-many-events', 'Too many events', outcome.detail));
        return;
      case 422: {
        const where = outcome.index === undefined ? '' : ` (array item ${outcome.index})`;
        const detail = `the body is in no accepted format${where}: missing ${outcome.missing}. Accepted formats: ${outcome.accepted.join(' | ')}`;
        await sendProblem(
          reply,
          problem(422, 'unrecognised-format', 'Unrecognised event format', detail, {
            missing: outcome.missing,
            acceptedFormats: outcome.accepted,
            index: outcome.index,
          }),
        );
        return;
      }
      case 503:
        await reply
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
        return;
    }
  }
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function sendProblem(reply: FastifyReply, body: ReturnType<typeof problem>): Promise<void> {
  await reply.code(body.status).type(PROBLEM_CONTENT_TYPE).send(body);
}
