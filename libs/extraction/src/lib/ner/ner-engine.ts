/** One token as an NLP library sees it: where it is, its dictionary form and its part of speech. */
export interface NerToken {
  readonly start: number;
  readonly end: number;
  readonly lemma: string;
  /** Universal POS tag (NOUN, PROPN, VERB, ...). */
  readonly pos: string;
}

/** The port the NER matcher needs; the adapter hides which NLP library does the work. */
export interface NerEngine {
  readonly name: string;
  tokens(text: string): readonly NerToken[];
}
