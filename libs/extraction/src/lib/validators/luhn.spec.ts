import { validateCardNumber } from './card-number.validator';
import { passesLuhn } from './luhn';

describe(passesLuhn.name, () => {
  const sut = passesLuhn;

  it.each(['4111111111111111', '5500005555555559', '340000000000009', '79927398713'])(
    'accepts %s',
    (digits) => {
      expect(sut(digits)).toBe(true);
    },
  );

  it.each(['4111111111111112', '1234567890123456', '', '41a1'])('rejects "%s"', (digits) => {
    expect(sut(digits)).toBe(false);
  });
});

describe(validateCardNumber.name, () => {
  const sut = validateCardNumber;

  it('recognises a spaced card number without returning it', () => {
    expect(sut('4111 1111 1111 1111')).toEqual({ ok: true, value: '' });
  });

  it('does not take a Luhn-valid number of the wrong length for a card', () => {
    expect(sut('79927398713').ok).toBe(false);
  });
});
