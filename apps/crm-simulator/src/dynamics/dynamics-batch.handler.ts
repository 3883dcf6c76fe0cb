// POST /api/data/v9.2/$batch: independent requests and atomic change sets. Without
// `Prefer: odata.continue-on-error` the batch stops at the first failure and answers with its status.
import { randomUUID } from 'node:crypto';
import { type SimRequest, type SimResponse } from '../http/sim-http';
import { type SimContext } from '../simulator-context';
import { dvError, dvErrorResponse } from './dynamics-errors';
import { DV_ROOT } from './dynamics-contact.mapper';
import {
  boundaryOf,
  type EmbeddedRequest,
  type EmbeddedResponse,
  MultipartError,
  parseBatch,
  renderBatch,
  type ResponseItem,
} from './multipart';

export const MAX_BATCH_REQUESTS = 1000;

/** Runs one embedded request (passed in, so the batch does not depend on the entity routes). */
export type EntityRoute = (ctx: SimContext, req: SimRequest, baseUrl: string) => SimResponse;

export function handleBatch(
  ctx: SimContext,
  req: SimRequest,
  baseUrl: string,
  route: EntityRoute,
): SimResponse {
  const boundary = boundaryOf(req.headers['content-type']);
  if (boundary === undefined)
    return dvErrorResponse(
      dvError(
        400,
        '0x80048d19',
        'The batch request must have a "Content-Type" header of multipart/mixed with a boundary.',
      ),
    );
  let items;
  try {
    items = parseBatch(req.body, boundary);
  } catch (error) {
    if (error instanceof MultipartError) return dvErrorResponse(dvError(400, '0x80048d19', error.message));
    throw error;
  }
  const total = items.reduce((sum, item) => sum + (item.kind === 'request' ? 1 : item.requests.length), 0);
  if (total > MAX_BATCH_REQUESTS)
    return dvErrorResponse(
      dvError(400, '0x80048d19', `The number of requests in a batch exceeds ${MAX_BATCH_REQUESTS}.`),
    );
  const continueOnError = /odata\.continue-on-error/.test(req.headers['prefer'] ?? '');

  const results: ResponseItem[] = [];
  let failedStatus: number | undefined;
  for (const item of items) {
    if (item.kind === 'request') {
      const response = execute(ctx, route, item, baseUrl, new Map());
      results.push({ kind: 'response', response });
      if (response.status >= 400) failedStatus ??= response.status;
    } else {
      const outcome = runChangeSet(ctx, route, item.requests, baseUrl);
      results.push(outcome.item);
      if (outcome.failedStatus !== undefined) failedStatus ??= outcome.failedStatus;
    }
    if (failedStatus !== undefined && !continueOnError) break;
  }
  const responseBoundary = `batchresponse_${randomUUID()}`;
  const status = failedStatus !== undefined && !continueOnError ? failedStatus : 200;
  const headers: Record<string, string> = {
    'content-type': `multipart/mixed; boundary=${responseBoundary}`,
    'odata-version': '4.0',
  };
  if (continueOnError) headers['preference-applied'] = 'odata.continue-on-error';
  return { status, headers, body: renderBatch(responseBoundary, results) };
}

function runChangeSet(
  ctx: SimContext,
  route: EntityRoute,
  requests: readonly EmbeddedRequest[],
  baseUrl: string,
): { item: ResponseItem; failedStatus: number | undefined } {
  const snapshot = ctx.store.snapshot();
  const created = new Map<string, string>();
  const responses: EmbeddedResponse[] = [];
  for (const request of requests) {
    const response =
      request.method === 'GET'
        ? failure(request, dvError(400, '0x80048d19', 'GET requests are not allowed inside a change set.'))
        : execute(ctx, route, request, baseUrl, created);
    if (response.status >= 400) {
      // A change set is atomic: undo its earlier writes and answer with the failing part only.
      ctx.store.restore(snapshot);
      return { item: { kind: 'response', response }, failedStatus: response.status };
    }
    if (request.contentId !== undefined && response.headers['odata-entityid'] !== undefined)
      created.set(request.contentId, response.headers['odata-entityid']);
    responses.push(response);
  }
  return {
    item: { kind: 'changeset', boundary: `changesetresponse_${randomUUID()}`, responses },
    failedStatus: undefined,
  };
}

function failure(request: EmbeddedRequest, error: ReturnType<typeof dvError>): EmbeddedResponse {
  const response = dvErrorResponse(error);
  return {
    contentId: request.contentId,
    status: response.status,
    headers: response.headers,
    body: JSON.stringify(response.body),
  };
}

function execute(
  ctx: SimContext,
  route: EntityRoute,
  request: EmbeddedRequest,
  baseUrl: string,
  created: ReadonlyMap<string, string>,
): EmbeddedResponse {
  let target = request.url;
  const reference = /^\$(\w+)(.*)$/.exec(target);
  if (reference) {
    const entity = created.get(reference[1] ?? '');
    if (entity === undefined)
      return failure(
        request,
        dvError(
          400,
          '0x80048d19',
          `Content-ID reference '$${reference[1] ?? ''}' was not declared before it is used.`,
        ),
      );
    target = entity + (reference[2] ?? '');
  }
  // Part URLs may be absolute, server-relative or relative to the service root.
  const url = /^https?:\/\//.test(target)
    ? new URL(target)
    : new URL(target.startsWith('/') ? target : `${DV_ROOT}/${target}`, 'http://batch.invalid');
  const inner: SimRequest = {
    method: request.method,
    path: decodeURIComponent(url.pathname),
    query: url.searchParams,
    headers: request.headers,
    body: request.body,
  };
  const response = route(ctx, inner, baseUrl);
  const body =
    response.body === undefined
      ? ''
      : typeof response.body === 'string'
        ? response.body
        : JSON.stringify(response.body);
  return { contentId: request.contentId, status: response.status, headers: response.headers, body };
}
