import {
  type ConversationEvent,
  type EntityExtracted,
  type EntityRejected,
  type MediaType,
  type Participant,
  type TextSpan,
} from '@crm/contracts';
import { isSupportedCountry } from 'libphonenumber-js';

import { asrConfidence } from '../confidence/asr-confidence';
import { combineConfidence } from '../confidence/combine-confidence';
import { InvalidConfigurationError } from '../definitions/configuration.error';
import { type EntityDefinition } from '../definitions/entity-definition.schema';
import { EMPTY_CATALOGUE, type ProductCatalogue } from '../definitions/product-catalogue.schema';
import { type Candidate } from '../matchers/candidate';
import { type NerEngine } from '../ner/ner-engine';
import { createWinkNerEngine } from '../ner/wink.ner-engine';
import { containsCardNumber } from '../pci/card-number.guard';
import { VALIDATORS } from '../validators/validator-registry';
import { type ValidationContext, type ValidationResult } from '../validators/value-validator';
import { acceptsParticipant, type CompiledDefinition, compileDefinition } from './compiled-definition';
import { entityIdOf } from './entity-id';
import { type EvaluatedCandidate, type Outcome } from './evaluated-candidate';
import { textCandidates, vendorCandidates } from './gather-candidates';
import { resolveConflicts } from './resolve-conflicts';

export interface ExtractorOptions {
  readonly definitions: readonly EntityDefinition[];
  /** Required when a dictionary or NER definition refers to the product catalogue. */
  readonly catalogue?: ProductCatalogue;
  /** ISO 3166 region for phone numbers said without a country code. Default US. */
  readonly defaultRegion?: string;
  readonly definitionsVersion?: string;
  /** Milliseconds since the epoch, for extractedAt / rejectedAt. */
  readonly clock?: () => number;
  /** Defaults to wink-nlp, loaded only when an NER definition exists. */
  readonly nerEngine?: NerEngine;
}

export interface ExtractionResult {
  readonly accepted: EntityExtracted[];
  readonly rejected: EntityRejected[];
  /** Card numbers found and redacted; their values appear nowhere in the result. */
  readonly pciRedactions: number;
}

export interface Extractor {
  extract(event: ConversationEvent): ExtractionResult;
}

const REDACTED = 'REDACTED';

export function createExtractor(options: ExtractorOptions): Extractor {
  const defaultRegion = options.defaultRegion ?? 'US';
  if (!isSupportedCountry(defaultRegion)) {
    throw new InvalidConfigurationError('extractor options', [
      { path: 'defaultRegion', message: 'not a supported ISO 3166 region' },
    ]);
  }
  const needsCatalogue = options.definitions.some(
    (definition) =>
      definition.method === 'ner' ||
      (definition.method === 'dictionary' && definition.catalogue !== undefined),
  );
  if (needsCatalogue && options.catalogue === undefined) {
    throw new InvalidConfigurationError('extractor options', [
      { path: 'catalogue', message: 'required by a dictionary or NER definition' },
    ]);
  }
  const catalogue = options.catalogue ?? EMPTY_CATALOGUE;
  let engine = options.nerEngine;
  const nerEngine = (): NerEngine => (engine ??= createWinkNerEngine());
  const compiled = options.definitions.map((definition) =>
    compileDefinition(definition, catalogue, nerEngine),
  );
  const version = options.definitionsVersion ?? '';
  const clock = options.clock ?? Date.now;
  const validation: ValidationContext = { defaultRegion, catalogue };
  const applicable = new Map<string, readonly CompiledDefinition[]>();
  const byDefinition = new Map(compiled.map((entry) => [entry.definition, entry]));

  const definitionsFor = (
    mediaType: MediaType,
    participant: Participant,
    vendor: boolean,
  ): readonly CompiledDefinition[] => {
    const key = `${mediaType}|${participant}|${vendor}`;
    let found = applicable.get(key);
    if (found === undefined) {
      found = compiled.filter(
        (entry) =>
          (entry.definition.method === 'vendor') === vendor &&
          entry.mediaTypes.has(mediaType) &&
          acceptsParticipant(entry.definition, participant),
      );
      applicable.set(key, found);
    }
    return found;
  };

  const validate = (entry: CompiledDefinition | undefined, candidate: Candidate): ValidationResult => {
    const result = VALIDATORS[candidate.definition.validator](candidate.normalised, validation);
    if (result.ok && entry !== undefined && entry.format !== null && !entry.format.test(result.value)) {
      return { ok: false, detail: 'does not match the target field format' };
    }
    return result;
  };

  return {
    extract(event: ConversationEvent): ExtractionResult {
      const result = {
        accepted: [] as EntityExtracted[],
        rejected: [] as EntityRejected[],
        pciRedactions: 0,
      };
      let found: { candidate: Candidate; where: string | null }[];
      let lowerText = '';
      if (
        (event.kind === 'UTTERANCE' || event.kind === 'MESSAGE') &&
        event.text !== null &&
        event.text !== ''
      ) {
        lowerText = event.text.toLowerCase();
        const definitions = definitionsFor(event.mediaType, event.participant, false);
        found = textCandidates(event, event.text, lowerText, definitions).map((candidate) => ({
          candidate,
          where: null,
        }));
      } else if (event.kind === 'VENDOR_ENTITY') {
        found = vendorCandidates(event, definitionsFor(event.mediaType, event.participant, true));
      } else {
        return result;
      }
      if (found.length === 0) return result;

      const redacted: TextSpan[] = [];
      const redact = (candidate: Candidate, where: string | null): void => {
        result.pciRedactions++;
        if (candidate.span !== null) redacted.push(candidate.span);
        result.rejected.push({
          entityId: entityIdOf(event.eventId, candidate.definition.name, candidate.span ?? where, REDACTED),
          ...common(event, candidate, version),
          rawValue: null,
          value: null,
          confidence: combineConfidence(
            1,
            candidate.method === 'VENDOR' ? 1 : asrConfidence(event, candidate.span),
            false,
          ),
          reason: 'REDACTED_PCI',
          detail: 'payment card number redacted',
          rejectedAt: clock(),
        });
      };

      for (const { candidate, where } of found) {
        if (candidate.definition.redact && validate(undefined, candidate).ok) redact(candidate, where);
      }
      const evaluated: EvaluatedCandidate[] = [];
      for (const { candidate, where } of found) {
        if (candidate.definition.redact) continue;
        const span = candidate.span;
        if (span !== null && redacted.some((r) => r.start < span.end && span.start < r.end)) continue;
        if (containsCardNumber(candidate.raw) || containsCardNumber(candidate.normalised)) {
          redact(candidate, where);
          continue;
        }
        const entry = byDefinition.get(candidate.definition);
        const keywordDistance =
          entry === undefined || entry.keywords === null || span === null
            ? 0
            : entry.keywords.distance(lowerText, span.start, span.end);
        const context = candidate.definition.context;
        const matcher =
          keywordDistance === Infinity && context !== undefined
            ? Math.min(candidate.matcherConfidence, context.confidenceWithout)
            : candidate.matcherConfidence;
        const asr = candidate.method === 'VENDOR' ? 1 : asrConfidence(event, span);
        const confidence = combineConfidence(matcher, asr, candidate.spokenForm);
        let checked: ValidationResult | undefined;
        evaluated.push({
          candidate,
          get validation() {
            return (checked ??= validate(entry, candidate));
          },
          keywordDistance,
          confidence,
          where,
        });
      }
      for (const outcome of resolveConflicts(evaluated)) emit(outcome, event, version, clock(), result);
      return result;
    },
  };
}

function common(event: ConversationEvent, candidate: Candidate, version: string) {
  return {
    conversationId: event.conversationId,
    sourceEventId: event.eventId,
    entityType: candidate.definition.name,
    method: candidate.method,
    span: candidate.span,
    participant: event.participant,
    mediaType: event.mediaType,
    definitionsVersion: version,
    occurredAt: event.occurredAt,
  };
}

function emit(
  outcome: Outcome,
  event: ConversationEvent,
  version: string,
  now: number,
  result: { accepted: EntityExtracted[]; rejected: EntityRejected[] },
): void {
  const { candidate, confidence, where } = outcome.entry;
  const idValue = outcome.kind === 'accepted' ? outcome.value : (outcome.value ?? candidate.raw);
  const entityId = entityIdOf(event.eventId, candidate.definition.name, candidate.span ?? where, idValue);
  if (outcome.kind === 'accepted') {
    result.accepted.push({
      entityId,
      ...common(event, candidate, version),
      rawValue: candidate.raw,
      value: outcome.value,
      confidence,
      extractedAt: now,
    });
    return;
  }
  result.rejected.push({
    entityId,
    ...common(event, candidate, version),
    rawValue: candidate.raw,
    value: outcome.value,
    confidence,
    reason: outcome.reason,
    detail: outcome.detail,
    rejectedAt: now,
  });
}
