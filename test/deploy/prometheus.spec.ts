// deploy/prometheus: promtool accepts the configuration and rules, the rule unit tests pass, and
// every alert the issue asks for exists with a runbook entry in deploy/README.md.
import { readRepoFile, readYaml, repoPath, run } from './support/repo';

interface RuleFile {
  groups: {
    name: string;
    rules: {
      alert?: string;
      expr: string;
      labels?: Record<string, string>;
      annotations?: Record<string, string>;
    }[];
  }[];
}

const RULES = 'deploy/prometheus/rules/pipeline.rules.yml';
const alerts = readYaml<RuleFile>(RULES).groups.flatMap((group) =>
  group.rules.filter((rule) => rule.alert !== undefined),
);

/** GitHub's heading anchors: lower case, spaces to dashes, punctuation dropped. */
function anchorsOf(markdown: string): Set<string> {
  return new Set(
    [...markdown.matchAll(/^#{1,6}\s+(.+)$/gm)].map(([, heading]) =>
      heading!
        .trim()
        .toLowerCase()
        .replace(/[^a-z0-9 _-]/g, '')
        .replace(/ /g, '-'),
    ),
  );
}

describe('Prometheus rules and configuration (deploy/prometheus)', () => {
  it('passes promtool check rules', () => {
    expect(run('promtool', ['check', 'rules', repoPath(RULES)])).toMatch(/SUCCESS: \d+ rules found/);
  });

  it('passes promtool check config', () => {
    expect(
      run('promtool', ['check', 'config', '--syntax-only', repoPath('deploy/prometheus/prometheus.yml')]),
    ).toMatch(/SUCCESS/);
  });

  it('passes the promtool rule unit tests', () => {
    expect(
      run('promtool', ['test', 'rules', repoPath('deploy/prometheus/tests/pipeline.rules.test.yml')]),
    ).toMatch(/SUCCESS/);
  });

  it('has a unit test that fires every alert', () => {
    const tested = new Set(
      [...readRepoFile('deploy/prometheus/tests/pipeline.rules.test.yml').matchAll(/alertname: (\w+)/g)].map(
        ([, name]) => name,
      ),
    );
    expect(alerts.map((rule) => rule.alert).filter((name) => !tested.has(name))).toEqual([]);
  });

  it('covers lag, rate limits, breaker, dead letters, token refresh, ingest 5xx and a service down', () => {
    const exprs = alerts.map((rule) => rule.expr).join('\n');
    for (const metric of [
      'kafka_consumer_lag',
      'crm_rate_limited_total',
      'crm_breaker_state',
      'crm_dead_letters_total',
      'extractor_dead_letters_total',
      'crm_token_refreshes_total',
      'ingest_http_responses_total',
      'up{',
    ]) {
      expect(exprs).toContain(metric);
    }
  });

  it('links every alert to its runbook entry in deploy/README.md', () => {
    const anchors = anchorsOf(readRepoFile('deploy/README.md'));
    const broken = alerts.filter((rule) => {
      const url = rule.annotations?.['runbook_url'] ?? '';
      const [path, anchor] = url.split('#');
      return path !== 'deploy/README.md' || anchor !== rule.alert!.toLowerCase() || !anchors.has(anchor);
    });
    expect(broken.map((rule) => rule.alert)).toEqual([]);
  });

  it('gives every alert a severity, a summary and a description', () => {
    const incomplete = alerts.filter(
      (rule) =>
        !['warning', 'critical'].includes(rule.labels?.['severity'] ?? '') ||
        !rule.annotations?.['summary'] ||
        !rule.annotations['description'],
    );
    expect(incomplete.map((rule) => rule.alert)).toEqual([]);
  });
});
