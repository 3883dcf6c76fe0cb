import { aVoiceUtterance } from '../../testing';

import { asrConfidence } from './asr-confidence';
import { combineConfidence, SPOKEN_FORM_FACTOR } from './combine-confidence';

describe(combineConfidence.name, () => {
  const sut = combineConfidence;

  it('multiplies matcher and ASR confidence', () => {
    expect(sut(0.97, 0.95, false)).toBe(0.9215);
  });

  it('discounts a value rebuilt from spoken words', () => {
    expect(sut(1, 0.95, true)).toBe(Math.round(0.95 * SPOKEN_FORM_FACTOR * 10_000) / 10_000);
  });
});

describe(asrConfidence.name, () => {
  const sut = asrConfidence;

  it('takes the least confident word inside the span when words line up with the text', () => {
    const event = aVoiceUtterance('order one two', {
      confidence: 0.95,
      words: [
        { word: 'order', confidence: 0.4 },
        { word: 'one', confidence: 0.97 },
        { word: 'two', confidence: 0.91 },
      ],
    });

    expect(sut(event, { start: 6, end: 13 })).toBe(0.91);
  });

  it('falls back to the phrase confidence when the word list does not line up', () => {
    const event = aVoiceUtterance('order one two', {
      confidence: 0.93,
      words: [{ word: 'order', confidence: 0.4 }],
    });

    expect(sut(event, { start: 6, end: 13 })).toBe(0.93);
  });

  it('treats typed text without a score as certain', () => {
    expect(sut(aVoiceUtterance('x', { confidence: null }), null)).toBe(1);
  });
});
