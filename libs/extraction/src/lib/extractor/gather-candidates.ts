// Runs every applicable definition over one event and returns raw candidates, cheapest checks first.
import { type ConversationEvent } from '@crm/contracts';

import { type Candidate } from '../matchers/candidate';
import { NerMatcher } from '../matchers/ner.matcher';
import { normalise, normaliseShared } from '../normalisers/normaliser-chain';
import { SPOKEN_NUMBER_HINT } from '../normalisers/spoken-digits.normaliser';
import { type MappedText } from '../text/mapped-text';
import { type CompiledDefinition } from './compiled-definition';

const DIGIT = /\d/;

export function isSpoken(event: ConversationEvent): boolean {
  return event.mediaType === 'VOICE' || event.mediaType === 'CALLBACK';
}

export function textCandidates(
  event: ConversationEvent,
  text: string,
  lowerText: string,
  definitions: readonly CompiledDefinition[],
): Candidate[] {
  const spoken = isSpoken(event);
  const numeric = DIGIT.test(text) || (spoken && SPOKEN_NUMBER_HINT.test(lowerText));
  let at: boolean | undefined;
  let dictatedAt: boolean | undefined;
  const views = new Map<string, MappedText>();
  const context = { spoken };
  const viewOf = (compiled: CompiledDefinition): MappedText =>
    normaliseShared(text, compiled.definition.normalisers, context, views);

  const out: Candidate[] = [];
  const nerPending: CompiledDefinition[] = [];
  for (const compiled of definitions) {
    const matcher = compiled.matcher;
    if (matcher === null || (compiled.needsDigits && !numeric)) continue;
    if (compiled.needsAt) {
      at ??= lowerText.includes('@');
      dictatedAt ??= spoken && lowerText.includes(' dot ');
      if (!at && !(compiled.spokenEmail && dictatedAt)) continue;
    }
    if (matcher instanceof NerMatcher) {
      nerPending.push(compiled);
      continue;
    }
    out.push(...matcher.match(viewOf(compiled), text));
  }
  // NER is two orders of magnitude dearer than a regex: run it only when a catalogue head word
  // appears outside what the other matchers of the same entity type already found.
  for (const compiled of nerPending) {
    const found = out
      .filter((candidate) => candidate.definition.name === compiled.definition.name)
      .flatMap((candidate) => (candidate.span === null ? [] : [candidate.span]));
    const matcher = compiled.matcher;
    if (matcher instanceof NerMatcher && matcher.mightMatch(lowerText, found))
      out.push(...matcher.match(text));
  }
  return out;
}

export function vendorCandidates(
  event: ConversationEvent,
  definitions: readonly CompiledDefinition[],
): { candidate: Candidate; where: string }[] {
  const spoken = isSpoken(event);
  const out: { candidate: Candidate; where: string }[] = [];
  for (const entity of event.vendorEntities) {
    const type = entity.entityType.toLowerCase();
    for (const compiled of definitions) {
      if (!compiled.vendorTypes.has(type)) continue;
      out.push({
        where: `vendor:${entity.startMs ?? '-'}:${entity.endMs ?? '-'}`,
        candidate: {
          definition: compiled.definition,
          method: 'VENDOR',
          span: null,
          raw: entity.value,
          normalised: normalise(entity.value, compiled.definition.normalisers, { spoken }).text,
          // No score from the vendor means no evidence: held back, not guessed.
          matcherConfidence: entity.confidence ?? 0,
          spokenForm: false,
        },
      });
    }
  }
  return out;
}
