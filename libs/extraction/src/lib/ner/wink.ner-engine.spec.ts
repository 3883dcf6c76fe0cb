import { createWinkNerEngine } from './wink.ner-engine';

describe(createWinkNerEngine.name, () => {
  const text = 'I want two Smart Watches for order 4455667788';

  it('reads lemmas and parts of speech at the offsets of the original text', () => {
    const sut = createWinkNerEngine();

    const tokens = sut.tokens(text);

    const watches = tokens.find((token) => text.slice(token.start, token.end) === 'Watches');
    expect(watches).toMatchObject({ lemma: 'watch', pos: 'NOUN' });
  });

  it('reads the same tokens after replacing its instance to bound the unknown-token cache', () => {
    const expected = createWinkNerEngine().tokens(text);
    const sut = createWinkNerEngine({ recycleAfterTokens: 5 });

    const first = sut.tokens(text);
    const afterRecycling = sut.tokens(text);

    expect(first).toEqual(expected);
    expect(afterRecycling).toEqual(expected);
  });
});
