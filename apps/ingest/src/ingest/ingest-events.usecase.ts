// POST /v1/genesys/events, in order: authenticate over the raw body, parse JSON, bound the batch,
// detect the format(s), produce, and only then report acceptance. Every refusal is a typed outcome
// the controller turns into problem+json; nothing is produced for a refused body.
import { Inject, Injectable } from '@nestjs/common';
import { type ConversationEvent } from '@crm/contracts';
import { parseGenesysBody, type ParseOptions } from '@crm/genesys';
import { isRetriable, reasonOf } from '@crm/kafka-core';
import { type AuthFailure, RequestAuthenticator } from '../auth/request-authenticator';
import { ConversationEventPublisher } from '../publish/conversation-event.publisher';
import { INGEST_SETTINGS, type IngestSettings } from './ingest-settings';

export interface IngestEventsCommand {
  rawBody: Buffer | undefined;
  authorization: string | undefined;
  signature: string | undefined;
  signatureTimestamp: string | undefined;
  traceparent: string;
  receivedAt: number;
}

export type IngestOutcome =
  | { status: 202; events: ConversationEvent[]; heartbeats: number; ignored: number }
  | { status: 400; detail: string }
  | { status: 401; failure: AuthFailure }
  | { status: 413; detail: string }
  | { status: 422; missing: string; accepted: readonly string[]; index: number | undefined }
  | { status: 503; reason: string; events: ConversationEvent[] };

@Injectable()
export class IngestEventsUseCase {
  private readonly authenticator: RequestAuthenticator;
  private readonly parseOptions: Omit<ParseOptions, 'receivedAt'>;

  constructor(
    @Inject(INGEST_SETTINGS) private readonly settings: IngestSettings,
    @Inject(ConversationEventPublisher) private readonly publisher: ConversationEventPublisher,
  ) {
    this.authenticator = new RequestAuthenticator({
      bearerTokens: settings.INGEST_BEARER_TOKENS,
      hmacSecret: settings.INGEST_HMAC_SECRET,
      toleranceSeconds: settings.INGEST_HMAC_TOLERANCE_SECONDS,
    });
    this.parseOptions = {
      contactIdAttributes: settings.INGEST_CONTACT_ID_ATTRIBUTES,
      acceptGuideFormat: settings.INGEST_ACCEPT_GUIDE_FORMAT,
      notificationSource: 'WEBHOOK',
      documentSource: 'WEBHOOK',
    };
  }

  async execute(command: IngestEventsCommand): Promise<IngestOutcome> {
    const rawBody = command.rawBody ?? Buffer.alloc(0);
    const auth = this.authenticator.authenticate({
      authorization: command.authorization,
      signature: command.signature,
      timestamp: command.signatureTimestamp,
      rawBody,
      now: command.receivedAt,
    });
    if (!auth.ok) return { status: 401, failure: auth.failure };

    let body: unknown;
    try {
      body = JSON.parse(rawBody.toString('utf8'));
    } catch (error) {
      return { status: 400, detail: `the body is not valid JSON: ${(error as Error).message}` };
    }
    if (Array.isArray(body) && body.length > this.settings.INGEST_MAX_EVENTS_PER_REQUEST) {
      return {
        status: 413,
        detail: `the array holds ${body.length} events; at most ${this.settings.INGEST_MAX_EVENTS_PER_REQUEST} are accepted per request`,
      };
    }

    const parsed = parseGenesysBody(body, { receivedAt: command.receivedAt, ...this.parseOptions });
    if (!parsed.ok)
      return { status: 422, missing: parsed.missing, accepted: parsed.accepted, index: parsed.index };

    try {
      await this.publisher.publish(parsed.events, command.traceparent);
    } catch (error) {
      // Broker trouble is worth a retry; anything else (an event the schema refuses) is our bug: 500.
      if (!isRetriable(error)) throw error;
      return { status: 503, reason: reasonOf(error), events: parsed.events };
    }
    return { status: 202, events: parsed.events, heartbeats: parsed.heartbeats, ignored: parsed.ignored };
  }
}
