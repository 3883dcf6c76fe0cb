import { MappedText } from '../text/mapped-text';
import { digitGroupsNormaliser } from './digit-groups.normaliser';
import { maskTrapsNormaliser } from './mask-traps.normaliser';

describe(maskTrapsNormaliser.name, () => {
  const sut = (text: string): string => digitGroupsNormaliser(maskTrapsNormaliser(MappedText.of(text))).text;

  it.each([
    'on 01.05.2024',
    'on 12/05/2024',
    'on 2024-05-12',
    'at 10:30 pm',
    'at 3 pm',
    'paid $1,234,567,890',
    'it was 1234567890 dollars',
    'up 15%',
    'on may 3rd 2024',
    'the 3rd of may 2024',
  ])('leaves no digits in "%s" once groups are joined', (text) => {
    expect(sut(text)).not.toMatch(/\d/);
  });

  it('keeps digit groups that are not dates, times or amounts', () => {
    expect(sut('order 12345 67890')).toBe('order 1234567890');
  });
});

describe(digitGroupsNormaliser.name, () => {
  const sut = digitGroupsNormaliser;

  it.each([
    ['(415) 555-0132', '4155550132'],
    ['415.555.0132', '4155550132'],
    ['4 1 5, 5 5 5', '415555'],
    ['+1 415 555 0132', '+14155550132'],
  ])('joins "%s" into %s', (text, expected) => {
    expect(sut(MappedText.of(text)).text).toBe(expected);
  });

  it('includes an opening parenthesis in the span of the joined number', () => {
    const result = sut(MappedText.of('on (415) 555-0132'));

    expect(result.toOriginal(3, 13)).toEqual({ start: 3, end: 17 });
  });

  it('does not join numbers separated by a word', () => {
    expect(sut(MappedText.of('2 items 1234567890')).text).toBe('2 items 1234567890');
  });
});
