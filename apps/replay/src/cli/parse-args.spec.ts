import { Topics } from '@crm/contracts';
import { parseCommand } from './parse-args';
import { UsageError } from './usage.error';

describe(parseCommand.name, () => {
  const sut = parseCommand;

  it('parses a topic replay with a time window, conversations and a target', () => {
    const command = sut([
      '--topic',
      'conversationEvents',
      '--from',
      '2026-11-30T10:00:00Z',
      '--to',
      '2026-11-30T11:00:00Z',
      '--conversation',
      'c-1',
      '--conversation',
      'c-2',
      '--target',
      'reprocess.v1',
      '--dry-run',
    ]);

    expect(command).toEqual({
      kind: 'replay',
      topic: Topics.conversationEvents,
      from: { kind: 'time', at: Date.parse('2026-11-30T10:00:00Z') },
      to: { kind: 'time', at: Date.parse('2026-11-30T11:00:00Z') },
      conversations: ['c-1', 'c-2'],
      target: 'reprocess.v1',
      dryRun: true,
      sample: 5,
      includeReplayed: false,
    });
  });

  it('defaults the target to the source topic and reads offsets per partition', () => {
    const command = sut(['--topic', 't.v1', '--from', '0:10,2:5', '--to', '100']);

    expect(command).toMatchObject({
      target: 't.v1',
      from: { kind: 'partitions', offsets: { 0: 10, 2: 5 } },
      to: { kind: 'offset', offset: 100 },
      dryRun: false,
    });
  });

  it('parses --resume alone', () => {
    expect(sut(['--resume', 'replay-20261130T100000Z-abc123'])).toEqual({
      kind: 'resume',
      replayId: 'replay-20261130T100000Z-abc123',
    });
  });

  it('parses the dead-letter commands', () => {
    expect(sut(['dead-letters', 'inspect', '--reason', 'CRM_VALIDATION'])).toEqual({
      kind: 'dead-letters-inspect',
      reason: 'CRM_VALIDATION',
      since: null,
      conversations: [],
    });
    expect(
      sut([
        'dead-letters',
        'redrive',
        '--reason',
        'CRM_VALIDATION',
        '--since',
        '2026-11-30T00:00:00Z',
        '--dry-run',
      ]),
    ).toEqual({
      kind: 'dead-letters-redrive',
      reason: 'CRM_VALIDATION',
      since: Date.parse('2026-11-30T00:00:00Z'),
      conversations: [],
      dryRun: true,
    });
  });

  it('parses reextract with a definitions file, dry run by default', () => {
    expect(sut(['reextract', '--from', '2026-11-30T00:00:00Z', '--definitions', 'defs.json'])).toMatchObject({
      kind: 'reextract',
      definitionsFile: 'defs.json',
      catalogueFile: null,
      apply: false,
    });
  });

  it.each([
    [[]],
    [['--topic', 't']],
    [['--from', '0']],
    [['--topic', 't', '--from', 'yesterday']],
    [['--topic', 't', '--from', '0', '--bogus']],
    [['--topic', 't', '--from', '0', 'stray']],
    [['--topic', 't', '--from', '0', '--sample', '0']],
    [['--resume', 'r1', '--topic', 't']],
    [['dead-letters']],
    [['dead-letters', 'purge']],
    [['dead-letters', 'redrive']],
    [['dead-letters', 'inspect', '--since', 'last week']],
    [['dead-letters', 'inspect', '--dry-run']],
    [['reextract', '--from', '0', '--dry-run', '--apply']],
    [['reextract']],
  ])('rejects %j with a usage error', (argv) => {
    expect(() => sut(argv)).toThrow(UsageError);
  });
});
