import { createLogger } from '@crm/observability';
import { ProblemExceptionFilter } from './problem-exception.filter';

describe(ProblemExceptionFilter.name, () => {
  function withLog(): { sut: ProblemExceptionFilter; lines: Array<Record<string, unknown>> } {
    const lines: Array<Record<string, unknown>> = [];
    const logger = createLogger(
      { service: 'ingest', level: 'info', format: 'json' },
      { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) },
    );
    return { sut: new ProblemExceptionFilter(1024, logger), lines };
  }

  it('answers an unexpected error with a bare 500 and logs it for the operator', () => {
    const { sut, lines } = withLog();
    const body = sut.toProblem(new TypeError('cannot read properties of undefined'));
    expect(body).toMatchObject({ status: 500, detail: 'unexpected error' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ msg: 'unexpected error answering a request' });
    expect(JSON.stringify(lines[0])).toContain('cannot read properties of undefined');
  });

  it('maps a body over the limit to 413 without logging an error', () => {
    const { sut, lines } = withLog();
    const body = sut.toProblem(Object.assign(new Error('too large'), { code: 'FST_ERR_CTP_BODY_TOO_LARGE' }));
    expect(body).toMatchObject({ status: 413, detail: 'the body exceeds the limit of 1024 bytes' });
    expect(lines).toHaveLength(0);
  });
});
