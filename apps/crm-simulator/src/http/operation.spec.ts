import { operationOf, summarise } from './operation';

describe(operationOf.name, () => {
  it.each([
    ['salesforce', 'POST', '/services/oauth2/token', 'token'],
    ['salesforce', 'GET', '/services/data/v62.0/sobjects/Contact/003000000000001AAA', 'get'],
    ['salesforce', 'PATCH', '/services/data/v62.0/sobjects/Contact/003000000000001AAA', 'patch'],
    ['salesforce', 'PATCH', '/services/data/v62.0/sobjects/Contact/Account_Id__c/AC-1', 'upsert'],
    ['salesforce', 'PATCH', '/services/data/v62.0/composite/sobjects', 'collections'],
    ['salesforce', 'GET', '/services/data/v62.0/query', 'query'],
    ['dynamics', 'POST', '/tenant/oauth2/v2.0/token', 'token'],
    ['dynamics', 'PATCH', "/api/data/v9.2/contacts(emailaddress1='a@b.c')", 'patch'],
    ['dynamics', 'GET', '/api/data/v9.2/contacts', 'query'],
    ['dynamics', 'POST', '/api/data/v9.2/$batch', 'batch'],
  ] as const)('names %s %s %s as %s', (provider, method, path, expected) => {
    expect(operationOf(provider, method, path)).toBe(expected);
  });
});

describe(summarise.name, () => {
  it('names the fields written but never their values', () => {
    expect(summarise('patch', '{"Email":"secret@example.com","Phone":"+1"}', new URLSearchParams())).toBe(
      'fields=Email,Phone',
    );
  });

  it('counts collection records and batch parts', () => {
    expect(summarise('collections', '{"records":[{},{}]}', new URLSearchParams())).toBe('records=2');
    expect(
      summarise(
        'batch',
        'Content-Type: application/http\r\n\r\nx\r\nContent-Type: application/http\r\n',
        new URLSearchParams(),
      ),
    ).toBe('parts=2');
  });
});
