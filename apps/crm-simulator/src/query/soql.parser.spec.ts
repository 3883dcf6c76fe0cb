import { parseSoql, SoqlParseError } from './soql.parser';

describe(parseSoql.name, () => {
  it('parses a lookup by email', () => {
    expect(parseSoql("SELECT Id, Email FROM Contact WHERE Email = 'ada@example.com' LIMIT 2")).toEqual({
      fields: ['Id', 'Email'],
      object: 'Contact',
      conditions: [{ field: 'Email', value: 'ada@example.com' }],
      join: 'and',
      limit: 2,
    });
  });

  it('parses an OR of email and phone and unescapes backslash-escaped quotes', () => {
    const sut = parseSoql(
      "select Id from Contact where Email = 'o\\'brien@example.com' OR Phone = '+14155550132'",
    );

    expect(sut.join).toBe('or');
    expect(sut.conditions).toEqual([
      { field: 'Email', value: "o'brien@example.com" },
      { field: 'Phone', value: '+14155550132' },
    ]);
  });

  it.each([
    ["SELECT Id FROM Contact WHERE Email LIKE 'a%'"],
    ['DELETE FROM Contact'],
    ["SELECT Id FROM Contact WHERE Email = 'a' AND Phone = 'b' OR Id = 'c'"],
    ["SELECT COUNT() FROM Contact WHERE Email = 'a'"],
    ["SELECT Id FROM Contact WHERE Email = 'unterminated"],
  ])('rejects %s', (text) => {
    expect(() => parseSoql(text)).toThrow(SoqlParseError);
  });
});
