import { forwardHeaders, headerString, hopTimestamps, newTraceparent } from './headers';

describe(forwardHeaders.name, () => {
  it('copies every incoming header and stamps this hop', () => {
    const traceparent = newTraceparent();
    const sut = forwardHeaders(
      { traceparent: Buffer.from(traceparent), 'x-hop-ts-ingest': '100' },
      'extractor',
      250,
    );
    expect(headerString(sut, 'traceparent')).toBe(traceparent);
    expect(hopTimestamps(sut)).toEqual({ ingest: 100, extractor: 250 });
  });

  it('starts a W3C trace when the record has none', () => {
    const sut = forwardHeaders(undefined, 'ingest', 1);
    expect(headerString(sut, 'traceparent')).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });

  it('ignores hop headers that are not numbers', () => {
    expect(hopTimestamps({ 'x-hop-ts-bad': 'soon', 'x-hop-ts-ok': '5' })).toEqual({ ok: 5 });
  });
});
