import { useSimulator } from '../testing/simulator.fixture';
import { ADA_DV, bearer, DV_API, dynamicsToken } from '../testing/wire';

const GRACE_DV = '00000000-0000-0000-0000-000000000003';
const MISSING_DV = '00000000-0000-0000-0000-0000000000ff';

function part(
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
  contentId?: string,
): string {
  const mime = [
    'Content-Type: application/http',
    'Content-Transfer-Encoding: binary',
    ...(contentId === undefined ? [] : [`Content-ID: ${contentId}`]),
  ];
  const inner = [
    `${method} ${url} HTTP/1.1`,
    ...Object.entries({
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      ...headers,
    }).map(([name, value]) => `${name}: ${value}`),
  ];
  return `${mime.join('\r\n')}\r\n\r\n${inner.join('\r\n')}\r\n\r\n${body === undefined ? '' : JSON.stringify(body)}`;
}

function multipart(boundary: string, parts: readonly string[]): string {
  return `${parts.map((text) => `--${boundary}\r\n${text}`).join('\r\n')}\r\n--${boundary}--\r\n`;
}

function changeset(boundary: string, parts: readonly string[]): string {
  return `Content-Type: multipart/mixed; boundary=${boundary}\r\n\r\n${multipart(boundary, parts)}`;
}

/** The embedded status lines of a batch response, in order. */
function statuses(body: string): number[] {
  return [...body.matchAll(/^HTTP\/1\.1 (\d{3})/gm)].map((match) => Number(match[1]));
}

describe('Dynamics $batch', () => {
  const sut = useSimulator();
  let token: string;

  beforeEach(async () => {
    token = await dynamicsToken(sut.url);
  });

  const post = (body: string, extra: Record<string, string> = {}) =>
    fetch(`${sut.url}${DV_API}/$batch`, {
      method: 'POST',
      headers: bearer(token, { 'content-type': 'multipart/mixed; boundary="batch_1"', ...extra }),
      body,
    });
  const jobtitle = async (id: string) =>
    (
      (await (await fetch(`${sut.url}${DV_API}/contacts(${id})`, { headers: bearer(token) })).json()) as {
        jobtitle?: string;
      }
    ).jobtitle;

  it('gives each independent request its own status with odata.continue-on-error', async () => {
    const body = multipart('batch_1', [
      part('PATCH', `${DV_API}/contacts(${ADA_DV})`, { jobtitle: 'A' }, { 'If-Match': '*' }),
      part('PATCH', `${DV_API}/contacts(${MISSING_DV})`, { jobtitle: 'B' }, { 'If-Match': '*' }),
      part('PATCH', `${sut.url}${DV_API}/contacts(${GRACE_DV})`, { jobtitle: 'C' }, { 'If-Match': '*' }),
      part('GET', `contacts(${ADA_DV})?$select=jobtitle`),
    ]);
    const response = await post(body, { prefer: 'odata.continue-on-error' });
    const text = await response.text();

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^multipart\/mixed; boundary=batchresponse_/);
    expect(response.headers.get('preference-applied')).toBe('odata.continue-on-error');
    expect(statuses(text)).toEqual([204, 404, 204, 200]);
    expect(text).toContain(`contact With Id = ${MISSING_DV} Does Not Exist`);
    expect(await jobtitle(GRACE_DV)).toBe('C');
  });

  it('stops at the first failure without the preference and answers with its status', async () => {
    const body = multipart('batch_1', [
      part('PATCH', `${DV_API}/contacts(${ADA_DV})`, { jobtitle: 'A' }, { 'If-Match': '*' }),
      part('PATCH', `${DV_API}/contacts(${MISSING_DV})`, { jobtitle: 'B' }, { 'If-Match': '*' }),
      part('PATCH', `${DV_API}/contacts(${GRACE_DV})`, { jobtitle: 'C' }, { 'If-Match': '*' }),
    ]);
    const response = await post(body);

    expect(response.status).toBe(404);
    expect(statuses(await response.text())).toEqual([204, 404]);
    expect(await jobtitle(GRACE_DV)).toBeUndefined();
  });

  it('applies a change set atomically: one failing part rolls back the others', async () => {
    const failing = changeset('changeset_a', [
      part('PATCH', `contacts(${ADA_DV})`, { jobtitle: 'A' }, { 'If-Match': '*' }, '1'),
      part('PATCH', `contacts(${MISSING_DV})`, { jobtitle: 'B' }, { 'If-Match': '*' }, '2'),
    ]);
    const succeeding = changeset('changeset_b', [
      part('PATCH', `contacts(${GRACE_DV})`, { jobtitle: 'C' }, { 'If-Match': '*' }, '3'),
    ]);
    const response = await post(multipart('batch_1', [failing, succeeding]), {
      prefer: 'odata.continue-on-error',
    });

    expect(response.status).toBe(200);
    expect(statuses(await response.text())).toEqual([404, 204]);
    expect(await jobtitle(ADA_DV)).toBeUndefined();
    expect(await jobtitle(GRACE_DV)).toBe('C');
  });

  it('resolves a Content-ID reference to a row created earlier in the change set', async () => {
    const set = changeset('changeset_c', [
      part('POST', 'contacts', { lastname: 'New' }, {}, '1'),
      part('PATCH', '$1', { jobtitle: 'Referenced' }, { 'If-Match': '*' }, '2'),
    ]);
    const response = await post(multipart('batch_1', [set]));
    const text = await response.text();
    const created = /OData-EntityId: .*contacts\(([0-9a-f-]{36})\)/i.exec(text)?.[1];

    expect(statuses(text)).toEqual([204, 204]);
    expect(created).toBeDefined();
    expect(await jobtitle(created!)).toBe('Referenced');
  });

  it('refuses a body without a multipart boundary with 400', async () => {
    const response = await fetch(`${sut.url}${DV_API}/$batch`, {
      method: 'POST',
      headers: bearer(token, { 'content-type': 'application/json' }),
      body: '{}',
    });

    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(
      /multipart\/mixed/,
    );
  });
});
