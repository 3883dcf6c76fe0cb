import { boundaryOf, MultipartError, parseBatch, renderBatch } from './multipart';

const BATCH = [
  '--batch_1',
  'Content-Type: application/http',
  'Content-Transfer-Encoding: binary',
  '',
  'GET /api/data/v9.2/contacts(00000000-0000-0000-0000-000000000001)?$select=firstname HTTP/1.1',
  'Accept: application/json',
  '',
  '--batch_1',
  'Content-Type: multipart/mixed; boundary=changeset_a',
  '',
  '--changeset_a',
  'Content-Type: application/http',
  'Content-Transfer-Encoding: binary',
  'Content-ID: 1',
  '',
  'PATCH contacts(00000000-0000-0000-0000-000000000002) HTTP/1.1',
  'Content-Type: application/json',
  'If-Match: *',
  '',
  '{"firstname":"Alan"}',
  '--changeset_a--',
  '--batch_1--',
  '',
].join('\r\n');

describe(parseBatch.name, () => {
  it('parses independent requests and change sets with their headers and bodies', () => {
    const sut = parseBatch(BATCH, 'batch_1');

    expect(sut).toEqual([
      {
        kind: 'request',
        contentId: undefined,
        method: 'GET',
        url: '/api/data/v9.2/contacts(00000000-0000-0000-0000-000000000001)?$select=firstname',
        headers: { accept: 'application/json' },
        body: '',
      },
      {
        kind: 'changeset',
        requests: [
          {
            kind: 'request',
            contentId: '1',
            method: 'PATCH',
            url: 'contacts(00000000-0000-0000-0000-000000000002)',
            headers: { 'content-type': 'application/json', 'if-match': '*' },
            body: '{"firstname":"Alan"}',
          },
        ],
      },
    ]);
  });

  it('accepts bare LF line ends', () => {
    expect(parseBatch(BATCH.replace(/\r\n/g, '\n'), 'batch_1')).toHaveLength(2);
  });

  it('rejects a body without its closing boundary', () => {
    expect(() =>
      parseBatch('--batch_1\r\nContent-Type: application/http\r\n\r\nGET x HTTP/1.1\r\n', 'batch_1'),
    ).toThrow(MultipartError);
  });
});

describe(boundaryOf.name, () => {
  it('reads quoted and unquoted boundaries', () => {
    expect(boundaryOf('multipart/mixed; boundary="batch_x"')).toBe('batch_x');
    expect(boundaryOf('multipart/mixed;boundary=batch_y')).toBe('batch_y');
    expect(boundaryOf('application/json')).toBeUndefined();
  });
});

describe(renderBatch.name, () => {
  it('renders each response as an embedded HTTP message between boundaries', () => {
    const sut = renderBatch('batchresponse_1', [
      {
        kind: 'response',
        response: { contentId: undefined, status: 204, headers: { 'OData-Version': '4.0' }, body: '' },
      },
    ]);

    expect(sut).toBe(
      '--batchresponse_1\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\nHTTP/1.1 204 No Content\r\nOData-Version: 4.0\r\n\r\n\r\n--batchresponse_1--\r\n',
    );
  });
});
