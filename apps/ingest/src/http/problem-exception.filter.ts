// Every error that escapes a handler or Fastify's body parsing (413 body limit, 415 media type, bad
// Content-Length, Nest's 404) leaves as application/problem+json.
import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException } from '@nestjs/common';
import { type Logger } from '@crm/observability';
import { type FastifyReply } from 'fastify';
import { type Problem, problem, PROBLEM_CONTENT_TYPE } from './problem';

@Catch()
export class ProblemExceptionFilter implements ExceptionFilter {
  constructor(
    private readonly bodyLimitBytes: number,
    /** Told about every error that becomes a 500: the caller gets no detail, the operator must. */
    private readonly logger?: Logger,
  ) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const body = this.toProblem(error);
    void reply.code(body.status).type(PROBLEM_CONTENT_TYPE).send(body);
  }

  /** Also the events route's own Fastify error handler (it is mounted outside Nest's router). */
  toProblem(error: unknown): Problem {
    const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
    switch (code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return problem(
          413,
          'body-too-large',
          'Body too large',
          `the body exceeds the limit of ${this.bodyLimitBytes} bytes`,
        );
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return problem(
          415,
          'unsupported-media-type',
          'Unsupported media type',
          'send the body as application/json',
        );
      case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return problem(400, 'invalid-body', 'Invalid body', (error as Error).message);
    }
    if (error instanceof HttpException)
      return problem(error.getStatus(), 'http', error.message, error.message);
    const status =
      typeof error === 'object' && error !== null
        ? (error as { statusCode?: unknown }).statusCode
        : undefined;
    if (typeof status === 'number' && status >= 400 && status < 500)
      return problem(status, 'bad-request', 'Bad request', (error as Error).message);
    this.logger?.error({ err: error }, 'unexpected error answering a request');
    return problem(500, 'internal', 'Internal error', 'unexpected error');
  }
}
