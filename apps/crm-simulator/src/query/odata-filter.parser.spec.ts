import { ODataParseError, parseEntityKey, parseODataFilter } from './odata-filter.parser';

describe(parseODataFilter.name, () => {
  it('parses eq comparisons joined by or, unescaping doubled quotes', () => {
    expect(
      parseODataFilter("emailaddress1 eq 'o''brien@example.com' or telephone1 eq '+14155550132'"),
    ).toEqual({
      conditions: [
        { field: 'emailaddress1', value: "o'brien@example.com" },
        { field: 'telephone1', value: '+14155550132' },
      ],
      join: 'or',
    });
  });

  it.each([
    ["contains(emailaddress1,'a')"],
    ["emailaddress1 ne 'a'"],
    ["emailaddress1 eq 'a' and"],
    ["a eq 'x' and b eq 'y' or c eq 'z'"],
  ])('rejects %s', (text) => {
    expect(() => parseODataFilter(text)).toThrow(ODataParseError);
  });
});

describe(parseEntityKey.name, () => {
  it('reads a GUID key, lower-cased', () => {
    expect(parseEntityKey('00000000-0000-0000-0000-00000000000A')).toEqual({
      kind: 'id',
      id: '00000000-0000-0000-0000-00000000000a',
    });
  });

  it('reads a compound alternate key', () => {
    expect(parseEntityKey("firstname='Joe',emailaddress1='abc@example.com'")).toEqual({
      kind: 'alternate',
      values: { firstname: 'Joe', emailaddress1: 'abc@example.com' },
    });
  });

  it('rejects a key that is neither a GUID nor name=value pairs', () => {
    expect(() => parseEntityKey('12345')).toThrow(ODataParseError);
  });
});
