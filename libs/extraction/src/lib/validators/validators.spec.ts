import { EMPTY_CATALOGUE } from '../definitions/product-catalogue.schema';
import { validateAccountId } from './account-id.validator';
import { validateCaseNumber } from './case-number.validator';
import { validateEmail } from './email.validator';
import { validateOrderNumber } from './order-number.validator';
import { validatePhone } from './phone.validator';

const context = { defaultRegion: 'US', catalogue: EMPTY_CATALOGUE };

describe(validateOrderNumber.name, () => {
  const sut = validateOrderNumber;

  it('keeps leading zeros', () => {
    expect(sut('0012345678')).toEqual({ ok: true, value: '0012345678' });
  });

  it.each(['123456789', '12345678901', '12345abcde'])('rejects %s', (candidate) => {
    expect(sut(candidate).ok).toBe(false);
  });
});

describe(validateAccountId.name, () => {
  const sut = validateAccountId;

  it.each(['ac 12345678', 'A C dash 12345678', 'a.c. 12345678', 'AC-12345678'])(
    'canonicalises %s',
    (candidate) => {
      expect(sut(candidate)).toEqual({ ok: true, value: 'AC-12345678' });
    },
  );

  it('rejects seven digits', () => {
    expect(sut('ac 1234567').ok).toBe(false);
  });
});

describe(validateCaseNumber.name, () => {
  const sut = validateCaseNumber;

  it('accepts eight digits starting with 0', () => {
    expect(sut('00012345')).toEqual({ ok: true, value: '00012345' });
  });

  it('rejects eight digits not starting with 0', () => {
    expect(sut('10012345').ok).toBe(false);
  });
});

describe(validateEmail.name, () => {
  const sut = validateEmail;

  it('lower-cases the address and drops trailing punctuation', () => {
    expect(sut('Jane.Doe@Example.COM.')).toEqual({ ok: true, value: 'jane.doe@example.com' });
  });

  it.each([
    'john@example',
    'john..smith@example.com',
    '@example.com',
    'john@exa_mple.com',
    'john@example.c0m',
  ])('rejects %s', (candidate) => {
    expect(sut(candidate).ok).toBe(false);
  });

  it('never repeats the value in its rejection detail', () => {
    const result = sut('secret.person@nowhere');

    expect(result.ok ? '' : result.detail).not.toContain('secret');
  });
});

describe(validatePhone.name, () => {
  const sut = validatePhone;

  it('formats a national number in E.164 with the default region', () => {
    expect(sut('4155550132', context)).toEqual({ ok: true, value: '+14155550132' });
  });

  it('honours another default region', () => {
    expect(sut('02079460958', { ...context, defaultRegion: 'GB' })).toEqual({
      ok: true,
      value: '+442079460958',
    });
  });

  it('keeps an explicit country code', () => {
    expect(sut('+442079460958', context)).toEqual({ ok: true, value: '+442079460958' });
  });

  it('rejects a number with an impossible area code', () => {
    expect(sut('1234567890', context).ok).toBe(false);
  });
});
