// wink-nlp with its bundled English "lite web" model: tokens, POS tags and lemmas, offline, ~10x
// faster than compromise on our corpus (see README for the measured comparison).
import model from 'wink-eng-lite-web-model';
import winkNLP from 'wink-nlp';

import { type NerEngine, type NerToken } from './ner-engine';

export function createWinkNerEngine(): NerEngine {
  const nlp = winkNLP(model, ['pos', 'sbd', 'negation']);
  const its = nlp.its;
  return {
    name: 'wink-nlp',
    tokens(text: string): readonly NerToken[] {
      // Lower-cased input: the model tags capitalised product words as proper nouns and then does
      // not lemmatise them ("Smart Watches"); lower-casing keeps offsets unchanged for ASCII.
      const lower = text.toLowerCase();
      const doc = nlp.readDoc(lower);
      /* eslint-disable @typescript-eslint/unbound-method -- wink's its.* are stateless selectors, meant to be passed */
      const values = doc.tokens().out(its.value);
      // its.lemma's declared signature (it needs the model add-ons) does not fit out()'s type; it works.
      const lemmas = doc.tokens().out(its.lemma as unknown as typeof its.value);
      const tags = doc.tokens().out(its.pos);
      /* eslint-enable @typescript-eslint/unbound-method */
      const out: NerToken[] = [];
      let cursor = 0;
      values.forEach((value, index) => {
        const start = lower.indexOf(value, cursor);
        if (start < 0) return;
        cursor = start + value.length;
        out.push({ start, end: cursor, lemma: lemmas[index] ?? value, pos: tags[index] ?? 'X' });
      });
      return out;
    },
  };
}
