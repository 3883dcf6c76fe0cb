import { Writable } from 'node:stream';
import { createLogger } from './logger';

function capture(): { stream: Writable; lines: () => Array<Record<string, unknown>> } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return {
    stream,
    lines: () =>
      chunks
        .join('')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

describe(createLogger.name, () => {
  it('redacts transcript text, entity values and tokens at any depth it covers', () => {
    const { stream, lines } = capture();
    const sut = createLogger({ service: 'test', level: 'info', format: 'json' }, stream);

    sut.info(
      {
        conversationId: 'c-1',
        text: 'my card is 4111 1111 1111 1111',
        entity: { value: 'jane@example.com' },
        token: 'abc',
      },
      'processed',
    );

    const [line] = lines();
    expect(line).toMatchObject({
      conversationId: 'c-1',
      text: '[redacted]',
      entity: { value: '[redacted]' },
      token: '[redacted]',
      msg: 'processed',
      service: 'test',
    });
    expect(JSON.stringify(line)).not.toContain('4111');
    expect(JSON.stringify(line)).not.toContain('jane@example.com');
  });

  it('writes the level as a word for log pipelines', () => {
    const { stream, lines } = capture();
    createLogger({ service: 'test', level: 'info', format: 'json' }, stream).warn('slow');
    expect(lines()[0]).toMatchObject({ level: 'warn' });
  });
});
