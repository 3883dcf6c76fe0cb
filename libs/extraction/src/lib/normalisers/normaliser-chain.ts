import { MappedText } from '../text/mapped-text';
import { digitGroupsNormaliser } from './digit-groups.normaliser';
import { maskTrapsNormaliser } from './mask-traps.normaliser';
import { type Normaliser, type NormaliserContext, type NormaliserName } from './normaliser';
import { spokenDigitsNormaliser } from './spoken-digits.normaliser';
import { spokenEmailNormaliser } from './spoken-email.normaliser';

const NORMALISERS: Readonly<Record<Exclude<NormaliserName, 'lowercase'>, Normaliser>> = {
  'spoken-digits': spokenDigitsNormaliser,
  'spoken-email': spokenEmailNormaliser,
  'mask-traps': maskTrapsNormaliser,
  'digit-groups': digitGroupsNormaliser,
};

/** Applies a definition's normaliser chain, in order, to the original text. */
export function normalise(
  original: string,
  chain: readonly NormaliserName[],
  context: NormaliserContext,
): MappedText {
  let text = chain[0] === 'lowercase' ? MappedText.lowerCaseOf(original) : MappedText.of(original);
  for (const name of chain) {
    if (name === 'lowercase') continue;
    text = NORMALISERS[name](text, context);
  }
  return text;
}

/**
 * The same, sharing work between chains of one message: every prefix of a chain that was already
 * computed (e.g. "lowercase>spoken-digits", common to five shipped definitions) is taken from
 * `cache`, and each new prefix is stored there. The cache lives for one message.
 */
export function normaliseShared(
  original: string,
  chain: readonly NormaliserName[],
  context: NormaliserContext,
  cache: Map<string, MappedText>,
): MappedText {
  let key = chain[0] === 'lowercase' ? 'lowercase' : '';
  let text = cache.get(key);
  if (text === undefined) {
    text = chain[0] === 'lowercase' ? MappedText.lowerCaseOf(original) : MappedText.of(original);
    cache.set(key, text);
  }
  for (const name of chain) {
    if (name === 'lowercase') continue;
    key = `${key}>${name}`;
    let next = cache.get(key);
    if (next === undefined) {
      next = NORMALISERS[name](text, context);
      cache.set(key, next);
    }
    text = next;
  }
  return text;
}
