import { createLogger } from '@crm/observability';
import { logLevel } from 'kafkajs';

import { BOUNDED_RETRIES_WARNING, pinoLogCreator } from './kafka.factory';

interface LogLine {
  readonly level: string;
  readonly msg: string;
  readonly kafkajs?: Record<string, unknown>;
}

function capture(level: 'info' | 'debug') {
  const lines: LogLine[] = [];
  const logger = createLogger(
    { service: 'kafka-factory-test', level, format: 'json' },
    { write: (line: string) => lines.push(JSON.parse(line) as LogLine) },
  );
  return { logger, lines };
}

const entry = (message: string) => ({
  namespace: 'Producer',
  level: logLevel.WARN,
  label: 'WARN',
  log: { timestamp: '2026-12-05T00:00:00.000Z', logger: 'kafkajs', message, transactionalId: 't-1' },
});

describe(pinoLogCreator.name, () => {
  it("logs kafkajs' lines at their own level, with the extra fields under kafkajs", () => {
    const { logger, lines } = capture('info');
    pinoLogCreator(logger)(logLevel.WARN)(entry('Connection timeout'));
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'warn',
        msg: 'Connection timeout',
        kafkajs: expect.objectContaining({ transactionalId: 't-1' }) as unknown,
      }),
    ]);
  });

  it('logs the messages it is told are false alarms at debug', () => {
    const { logger, lines } = capture('info');
    const log = pinoLogCreator(logger, new Set([BOUNDED_RETRIES_WARNING]))(logLevel.WARN);
    log(entry(BOUNDED_RETRIES_WARNING));
    log(entry('Connection timeout'));
    expect(lines.map((line) => line.msg)).toEqual(['Connection timeout']);

    const verbose = capture('debug');
    pinoLogCreator(verbose.logger, new Set([BOUNDED_RETRIES_WARNING]))(logLevel.WARN)(
      entry(BOUNDED_RETRIES_WARNING),
    );
    expect(verbose.lines).toEqual([
      expect.objectContaining({ level: 'debug', msg: BOUNDED_RETRIES_WARNING }),
    ]);
  });
});
