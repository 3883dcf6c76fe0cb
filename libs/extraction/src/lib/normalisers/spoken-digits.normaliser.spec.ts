import { MappedText } from '../text/mapped-text';
import { spokenDigitsNormaliser } from './spoken-digits.normaliser';

const spoken = { spoken: true };

function run(text: string): string {
  return spokenDigitsNormaliser(MappedText.of(text), spoken).text;
}

describe(spokenDigitsNormaliser.name, () => {
  const sut = spokenDigitsNormaliser;

  it.each([
    ['one two three', '1 2 3'],
    ['double five', '55'],
    ['triple seven', '777'],
    ['four oh seven', '4 0 7'],
    ['oh oh one', '00 1'],
    ['forty two', '42'],
    ['twenty', '20'],
    ['fifteen', '15'],
    ['eight hundred', '800'],
    ['double oh seven', '00 7'],
  ])('turns "%s" into "%s"', (text, expected) => {
    expect(run(text)).toBe(expected);
  });

  it('leaves "oh" alone when no digit is next to it', () => {
    expect(run('oh my order is late')).toBe('oh my order is late');
  });

  it('leaves text untouched on typed channels', () => {
    const text = MappedText.of('one two three');

    expect(sut(text, { spoken: false })).toBe(text);
  });

  it('points each digit back at the words it came from', () => {
    const result = sut(MappedText.of('is double five'), spoken);

    expect(result.text).toBe('is 55');
    expect(result.toOriginal(3, 5)).toEqual({ start: 3, end: 14 });
  });
});
