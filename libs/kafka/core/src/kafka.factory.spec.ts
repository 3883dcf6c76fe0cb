import { createLogger } from '@crm/observability';
import { logLevel } from 'kafkajs';

import { BOUNDED_RETRIES_WARNING, CONCURRENT_TRANSACTIONS_ERROR, pinoLogCreator } from './kafka.factory';

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

const entry = (message: string, extra: Record<string, unknown> = {}, level = logLevel.WARN) => ({
  namespace: 'Producer',
  level,
  label: 'WARN',
  log: {
    timestamp: '2026-12-05T00:00:00.000Z',
    logger: 'kafkajs',
    message,
    transactionalId: 't-1',
    ...extra,
  },
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
    const log = pinoLogCreator(logger, [BOUNDED_RETRIES_WARNING])(logLevel.WARN);
    log(entry(BOUNDED_RETRIES_WARNING));
    log(entry('Connection timeout'));
    expect(lines.map((line) => line.msg)).toEqual(['Connection timeout']);

    const verbose = capture('debug');
    pinoLogCreator(verbose.logger, [BOUNDED_RETRIES_WARNING])(logLevel.WARN)(entry(BOUNDED_RETRIES_WARNING));
    expect(verbose.lines).toEqual([
      expect.objectContaining({ level: 'debug', msg: BOUNDED_RETRIES_WARNING }),
    ]);
  });

  it('matches false alarms in the error of a response line and in retry messages', () => {
    const { logger, lines } = capture('info');
    const log = pinoLogCreator(logger, [CONCURRENT_TRANSACTIONS_ERROR])(logLevel.ERROR);
    log(entry('Response AddPartitionsToTxn(key: 24, version: 1)', { error: CONCURRENT_TRANSACTIONS_ERROR }));
    log(entry(`Failed to send messages: ${CONCURRENT_TRANSACTIONS_ERROR}`, { retryCount: 0 }));
    log(
      entry(
        'Response AddPartitionsToTxn(key: 24, version: 1)',
        { error: 'The producer has been fenced' },
        logLevel.ERROR,
      ),
    );
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'error',
        kafkajs: expect.objectContaining({ error: 'The producer has been fenced' }) as unknown,
      }),
    ]);
  });
});
