// The speech engine's confidence for the part of the utterance a value came from. Word-level scores
// win over the phrase score because a number is only as good as its least certain digit.
import { type ConversationEvent, type TextSpan } from '@crm/contracts';

const WORD = /\S+/g;

export function asrConfidence(event: ConversationEvent, span: TextSpan | null): number {
  const phrase = event.confidence ?? 1;
  if (span === null || event.words.length === 0 || event.text === null) return phrase;
  const tokens = [...event.text.matchAll(WORD)];
  // Only trust the word list when it lines up with the text token for token.
  if (tokens.length !== event.words.length) return phrase;
  let lowest = Infinity;
  tokens.forEach((token, index) => {
    const start = token.index;
    const end = start + token[0].length;
    if (start < span.end && end > span.start)
      lowest = Math.min(lowest, event.words[index]?.confidence ?? phrase);
  });
  return lowest === Infinity ? phrase : lowest;
}
