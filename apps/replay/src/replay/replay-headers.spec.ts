import { HeaderNames } from '@crm/kafka-core';
import { redriveHeaders, replayHeaders, ReplayHeaders } from './replay-headers';

describe(replayHeaders.name, () => {
  it('keeps every original header and adds the replay id and source position', () => {
    const headers = replayHeaders(
      { traceparent: '00-abc-def-01', 'x-hop-ts-ingest': Buffer.from('1') },
      'r-1',
      {
        topic: 't.v1',
        partition: 3,
        offset: '42',
      },
    );

    expect(headers).toEqual({
      traceparent: '00-abc-def-01',
      'x-hop-ts-ingest': Buffer.from('1'),
      [HeaderNames.replay]: 'r-1',
      [ReplayHeaders.replayedFrom]: 't.v1/3/42',
    });
  });

  it('marks a re-driven record with the run and the dead letter it came from', () => {
    const headers = redriveHeaders({ traceparent: Buffer.from('tp') }, 'rd-1', {
      topic: 'dl.v1',
      partition: 0,
      offset: '7',
    });

    expect(headers).toEqual({
      traceparent: Buffer.from('tp'),
      [ReplayHeaders.redriveId]: 'rd-1',
      [ReplayHeaders.redrivenFrom]: 'dl.v1/0/7',
    });
  });
});
