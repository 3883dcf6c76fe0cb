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
