import { MappedText } from '../text/mapped-text';
import { spokenDigitsNormaliser } from './spoken-digits.normaliser';
import { spokenEmailNormaliser } from './spoken-email.normaliser';

describe(spokenEmailNormaliser.name, () => {
  const sut = (text: string): string =>
    spokenEmailNormaliser(spokenDigitsNormaliser(MappedText.of(text), { spoken: true }), { spoken: true })
      .text;

  it.each([
    ['john dot smith at example dot com', 'john.smith@example.com'],
    ['j o h n at example dot co dot uk', 'john@example.co.uk'],
    ['jane underscore doe at mailbox dot org', 'jane_doe@mailbox.org'],
    ['emma dot muller four two at company dot io', 'emma.muller42@company.io'],
  ])('writes "%s" as %s', (text, expected) => {
    expect(sut(text)).toBe(expected);
  });

  it('does not take an earlier "at" for the address ("email me at ...")', () => {
    expect(sut('email me at john dot smith at example dot com')).toBe('email me at john.smith@example.com');
  });

  it('leaves an ordinary "at" alone', () => {
    expect(sut('I looked at it dot by dot')).toBe('I looked at it dot by dot');
  });
});
