// deploy/grafana: the dashboard JSON is what deploy/grafana/dashboards.cjs generates, is well
// formed for Grafana's provisioning, covers the required views, and (with the rules) queries only
// metrics the services export.
import { readdirSync } from 'node:fs';
import { parse } from 'yaml';
import { EXPORTED_METRICS } from './support/exported-metrics';
import { metricsIn } from '@crm/testing';
import { readRepoFile, repoPath } from './support/repo';

interface Panel {
  id: number;
  type: string;
  title: string;
  datasource?: { uid: string };
  gridPos: { w: number; h: number; x: number; y: number };
  targets?: { expr: string; refId: string }[];
}
interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
}

const DASHBOARD_DIR = 'deploy/grafana/dashboards';
const files = readdirSync(repoPath(DASHBOARD_DIR)).filter((file) => file.endsWith('.json'));
const dashboards: Record<string, Dashboard> = Object.fromEntries(
  files.map((file) => [
    file.replace(/\.json$/, ''),
    JSON.parse(readRepoFile(DASHBOARD_DIR, file)) as Dashboard,
  ]),
);
const allExprs = (dashboard: Dashboard): string[] =>
  dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((target) => target.expr));

describe('Grafana dashboards (deploy/grafana)', () => {
  it('match what deploy/grafana/dashboards.cjs generates', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const generator = require(repoPath('deploy/grafana/dashboards.cjs')) as {
      dashboards: Record<string, unknown>;
    };
    expect(Object.keys(dashboards).sort()).toEqual(Object.keys(generator.dashboards).sort());
    for (const [name, dashboard] of Object.entries(generator.dashboards))
      expect(dashboards[name]).toEqual(dashboard);
  });

  it.each(files)(
    '%s has unique ids, panels inside the 24-column grid and a datasource on every query',
    (file) => {
      const dashboard = dashboards[file.replace(/\.json$/, '')]!;
      expect(new Set(dashboard.panels.map((panel) => panel.id)).size).toBe(dashboard.panels.length);
      expect(dashboard.panels.filter((panel) => panel.gridPos.x + panel.gridPos.w > 24)).toEqual([]);
      const queried = dashboard.panels.filter((panel) => panel.type !== 'row');
      expect(
        queried
          .filter((panel) => !panel.targets?.length || panel.datasource?.uid !== '${datasource}')
          .map((panel) => panel.title),
      ).toEqual([]);
    },
  );

  it('have unique uids', () => {
    expect(new Set(Object.values(dashboards).map((dashboard) => dashboard.uid)).size).toBe(files.length);
  });

  it('show events per hop, end-to-end latency and lag per group and partition', () => {
    const overview = allExprs(dashboards['pipeline-overview']!).join('\n');
    expect(overview).toContain('ingest_events_total');
    expect(overview).toContain('sum by (group) (rate(kafka_consumer_records_total');
    expect(overview).toContain('pipeline_end_to_end_latency_seconds_bucket');
    expect(overview).toContain('sum by (group, topic, partition) (kafka_consumer_lag)');
  });

  it('show CRM requests by status, 429s, breaker state, token refreshes and calls per conversation', () => {
    const crm = allExprs(dashboards['crm']!).join('\n');
    for (const fragment of [
      'by (provider, status) (rate(crm_requests_total',
      'crm_rate_limited_total',
      'crm_breaker_state',
      'crm_token_refreshes_total',
      'crm_calls_per_conversation_bucket',
    ]) {
      expect(crm).toContain(fragment);
    }
  });

  it('show entities by type and outcome and rejection reasons', () => {
    const extraction = allExprs(dashboards['extraction']!).join('\n');
    expect(extraction).toContain('sum by (entity_type, outcome) (rate(extractor_entities_total');
    expect(extraction).toContain('sum by (reason) (rate(extractor_rejections_total');
  });

  it('query only metrics the services export, as do the alert rules', () => {
    const rules = parse(readRepoFile('deploy/prometheus/rules/pipeline.rules.yml')) as {
      groups: { rules: { expr: string }[] }[];
    };
    const exprs = [
      ...Object.values(dashboards).flatMap(allExprs),
      ...rules.groups.flatMap((group) => group.rules.map((rule) => rule.expr)),
    ];
    const used = new Set(exprs.flatMap(metricsIn));
    expect(used.size).toBeGreaterThan(20);
    expect([...used].filter((metric) => !EXPORTED_METRICS.has(metric))).toEqual([]);
  });
});

describe(metricsIn.name, () => {
  it('finds metric names and ignores functions, labels, groupings and ranges', () => {
    expect(
      metricsIn(
        'histogram_quantile(0.99, sum by (le, provider) (rate(crm_request_duration_seconds_bucket{status=~"5.."}[5m]))) / up',
      ),
    ).toEqual(['crm_request_duration_seconds_bucket', 'up']);
  });
});
