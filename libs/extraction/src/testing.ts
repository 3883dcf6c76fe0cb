// Fixture builders for tests of the extraction library and of the services that use it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { type ConversationEvent, type VendorEntity } from '@crm/contracts';

import { type EntityDefinition } from './lib/definitions/entity-definition.schema';
import { parseEntityDefinitions } from './lib/definitions/parse-entity-definitions';
import { parseProductCatalogue, type ProductCatalogue } from './lib/definitions/product-catalogue.schema';

export const FIXED_NOW = 1_764_500_000_500;

let sequence = 0;

function anEvent(overrides: Partial<ConversationEvent>): ConversationEvent {
  sequence++;
  return {
    eventId: `ev-${sequence}`,
    conversationId: 'conv-1',
    communicationId: null,
    source: 'NOTIFICATION',
    kind: 'UTTERANCE',
    mediaType: 'VOICE',
    participant: 'CUSTOMER',
    text: null,
    confidence: null,
    words: [],
    vendorEntities: [],
    sentimentScore: null,
    attributes: {},
    contactHints: { contactId: null, externalContactId: null, email: null, phone: null },
    occurredAt: 1_764_500_000_000,
    receivedAt: 1_764_500_000_120,
    ...overrides,
  };
}

/** A final voice transcript phrase said by the customer, ASR confidence 0.95 unless overridden. */
export function aVoiceUtterance(text: string, overrides: Partial<ConversationEvent> = {}): ConversationEvent {
  return anEvent({ kind: 'UTTERANCE', mediaType: 'VOICE', text, confidence: 0.95, ...overrides });
}

/** A chat message typed by the customer. */
export function aChatMessage(text: string, overrides: Partial<ConversationEvent> = {}): ConversationEvent {
  return anEvent({ kind: 'MESSAGE', mediaType: 'CHAT', source: 'WEBHOOK', text, ...overrides });
}

/** Vendor (Genesys analytics) entities for a voice conversation. */
export function aVendorEntityEvent(
  entities: readonly Partial<VendorEntity>[],
  overrides: Partial<ConversationEvent> = {},
): ConversationEvent {
  return anEvent({
    kind: 'VENDOR_ENTITY',
    source: 'POLL',
    participant: 'SYSTEM',
    vendorEntities: entities.map((entity) => ({
      entityType: 'order_number',
      value: '',
      confidence: 0.95,
      startMs: null,
      endMs: null,
      ...entity,
    })),
    ...overrides,
  });
}

export function aLifecycleEvent(
  kind: 'SENTIMENT' | 'CONTACT_ATTRIBUTES' | 'CONVERSATION_ENDED' | 'ANALYTICS_READY',
  overrides: Partial<ConversationEvent> = {},
): ConversationEvent {
  return anEvent({ kind, participant: 'SYSTEM', ...overrides });
}

// The shipped configuration, read as the app reads it (the library itself never touches files).
const CONFIG_DIR = join(__dirname, '..', '..', '..', 'config');

function readConfig(file: string): unknown {
  return JSON.parse(readFileSync(join(CONFIG_DIR, file), 'utf8'));
}

/** The raw content of config/entity-definitions.json, for parser tests. */
export const SHIPPED_ENTITY_DEFINITIONS_JSON: unknown = readConfig('entity-definitions.json');

/** The definitions shipped in config/entity-definitions.json. */
export function defaultEntityDefinitions(): readonly EntityDefinition[] {
  return parseEntityDefinitions(SHIPPED_ENTITY_DEFINITIONS_JSON).definitions;
}

/** The catalogue shipped in config/product-catalogue.json. */
export function defaultProductCatalogue(): ProductCatalogue {
  return parseProductCatalogue(readConfig('product-catalogue.json'));
}
