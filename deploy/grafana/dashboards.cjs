// Grafana dashboards as code: `node deploy/grafana/dashboards.cjs` writes deploy/grafana/dashboards/*.json
// (provisioned by docker-compose and loadable into any Grafana). test/deploy fails when the JSON
// files differ from what this script produces, so edit here, never the JSON.
'use strict';
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');

const DS = { type: 'prometheus', uid: '${datasource}' };
const RATE = '$__rate_interval';

function target(expr, legendFormat, refId) {
  return { datasource: DS, expr, legendFormat, refId, range: true };
}

/** One panel; `queries` is [expr, legend] pairs. Layout is filled in by `layout`. */
function panel(title, type, queries, { unit = 'short', description, w = 12, h = 8, extra = {} } = {}) {
  return {
    title,
    type,
    ...(description ? { description } : {}),
    datasource: DS,
    fieldConfig: { defaults: { unit, ...(extra.defaults ?? {}) }, overrides: [] },
    options:
      extra.options ??
      (type === 'timeseries'
        ? { legend: { displayMode: 'table', placement: 'bottom', calcs: ['mean', 'max', 'lastNotNull'] } }
        : {}),
    targets: queries.map(([expr, legend], index) => target(expr, legend, String.fromCharCode(65 + index))),
    gridPos: { w, h, x: 0, y: 0 },
  };
}

function row(title) {
  return { type: 'row', title, collapsed: false, panels: [], gridPos: { w: 24, h: 1, x: 0, y: 0 } };
}

/** Places panels left to right on a 24-column grid and numbers them. */
function layout(items) {
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  return items.map((item, index) => {
    const { w, h } = item.gridPos;
    if (item.type === 'row' || x + w > 24) {
      y += rowHeight;
      x = 0;
      rowHeight = 0;
    }
    const placed = { ...item, id: index + 1, gridPos: { w, h, x, y } };
    x += w;
    rowHeight = Math.max(rowHeight, h);
    if (item.type === 'row') {
      y += h;
      x = 0;
      rowHeight = 0;
    }
    return placed;
  });
}

function dashboard(uid, title, description, items) {
  return {
    uid,
    title,
    description,
    tags: ['crm-pipeline'],
    timezone: 'utc',
    editable: false,
    schemaVersion: 39,
    version: 1,
    refresh: '30s',
    time: { from: 'now-1h', to: 'now' },
    templating: {
      list: [
        {
          name: 'datasource',
          label: 'Prometheus',
          type: 'datasource',
          query: 'prometheus',
          current: {},
          hide: 0,
        },
      ],
    },
    annotations: { list: [] },
    links: [{ title: 'CRM pipeline', type: 'dashboards', tags: ['crm-pipeline'], asDropdown: true }],
    panels: layout(items),
  };
}

const quantiles = (metric, by = '') =>
  [0.5, 0.95, 0.99].map((q) => [
    `histogram_quantile(${q}, sum by (le${by ? `, ${by}` : ''}) (rate(${metric}_bucket[${RATE}])))`,
    `p${Math.round(q * 100)}${by ? ` {{${by}}}` : ''}`,
  ]);

const breakerMappings = {
  defaults: {
    min: 0,
    max: 2,
    mappings: [
      {
        type: 'value',
        options: {
          0: { text: 'closed', color: 'green' },
          1: { text: 'half-open', color: 'orange' },
          2: { text: 'open', color: 'red' },
        },
      },
    ],
    thresholds: {
      mode: 'absolute',
      steps: [
        { color: 'green', value: null },
        { color: 'orange', value: 1 },
        { color: 'red', value: 2 },
      ],
    },
  },
};

const dashboards = {
  'pipeline-overview': dashboard(
    'crm-pipeline-overview',
    'CRM pipeline: overview',
    'Events per hop, end-to-end latency, consumer lag.',
    [
      row('Throughput per hop'),
      panel(
        'Ingest: events/s by outcome',
        'timeseries',
        [[`sum by (outcome) (rate(ingest_events_total[${RATE}]))`, '{{outcome}}']],
        { unit: 'reqps', w: 8 },
      ),
      panel(
        'Consumed records/s by group',
        'timeseries',
        [[`sum by (group) (rate(kafka_consumer_records_total[${RATE}]))`, '{{group}}']],
        {
          unit: 'reqps',
          w: 8,
          description: 'extractor, aggregator and crm-writer consumer groups: one line per hop.',
        },
      ),
      panel(
        'CRM updates/s by outcome',
        'timeseries',
        [[`sum by (outcome) (rate(crm_update_results_total[${RATE}]))`, '{{outcome}}']],
        { unit: 'reqps', w: 8 },
      ),
      row('Latency'),
      panel(
        'End-to-end latency (ingest → CRM result)',
        'timeseries',
        quantiles('pipeline_end_to_end_latency_seconds'),
        { unit: 's', w: 12 },
      ),
      panel(
        'Ingest request and produce latency p99',
        'timeseries',
        [
          [
            `histogram_quantile(0.99, sum by (le) (rate(ingest_request_duration_seconds_bucket[${RATE}])))`,
            'request p99',
          ],
          [
            `histogram_quantile(0.99, sum by (le) (rate(ingest_produce_duration_seconds_bucket[${RATE}])))`,
            'produce (Kafka ack) p99',
          ],
        ],
        { unit: 's', w: 12 },
      ),
      row('Consumer lag'),
      panel('Lag by consumer group', 'timeseries', [['sum by (group) (kafka_consumer_lag)', '{{group}}']], {
        w: 12,
      }),
      panel(
        'Lag by group and partition',
        'timeseries',
        [['sum by (group, topic, partition) (kafka_consumer_lag)', '{{group}} {{topic}}[{{partition}}]']],
        { w: 12 },
      ),
      panel(
        'Rebalances',
        'timeseries',
        [[`sum by (group) (increase(kafka_consumer_rebalances_total[${RATE}]))`, '{{group}}']],
        { w: 8 },
      ),
      panel('Aggregator open conversations', 'timeseries', [['sum(aggregator_open_conversations)', 'open']], {
        w: 8,
      }),
      panel(
        'Aggregator flushes/s by trigger',
        'timeseries',
        [[`sum by (trigger) (rate(aggregator_flushes_total[${RATE}]))`, '{{trigger}}']],
        { unit: 'ops', w: 8 },
      ),
      row('Ingest and Genesys'),
      panel(
        'Ingest HTTP responses by status',
        'timeseries',
        [[`sum by (status) (rate(ingest_http_responses_total[${RATE}]))`, '{{status}}']],
        { unit: 'reqps', w: 8 },
      ),
      panel(
        'Genesys poller',
        'timeseries',
        [
          [`sum by (outcome) (rate(genesys_poller_attempts_total[${RATE}]))`, 'attempts {{outcome}}'],
          ['sum(genesys_poller_pending)', 'pending polls'],
        ],
        { w: 8 },
      ),
      panel(
        'Notifications reconnects and dropped heartbeats',
        'timeseries',
        [
          [`sum(increase(genesys_notifications_reconnects_total[${RATE}]))`, 'reconnects'],
          [`sum(increase(ingest_heartbeats_dropped_total[${RATE}]))`, 'heartbeats dropped'],
        ],
        { w: 8 },
      ),
      row('Resources'),
      panel(
        'Resident memory by service',
        'timeseries',
        [['sum by (service, instance) (process_resident_memory_bytes)', '{{service}} {{instance}}']],
        { unit: 'bytes', w: 12 },
      ),
      panel(
        'Aggregator transactions/s and state restore',
        'timeseries',
        [
          [`sum by (outcome) (rate(aggregator_transactions_total[${RATE}]))`, 'transactions {{outcome}}'],
          [
            `histogram_quantile(0.99, sum by (le) (rate(aggregator_state_restore_duration_seconds_bucket[${RATE}])))`,
            'state restore p99 (s)',
          ],
        ],
        { w: 12 },
      ),
      panel(
        'Aggregator transaction duration and state-lock wait',
        'timeseries',
        [
          [
            `histogram_quantile(0.99, sum by (le) (rate(aggregator_transaction_duration_seconds_bucket{outcome="committed"}[${RATE}])))`,
            'transaction p99',
          ],
          [
            `histogram_quantile(0.5, sum by (le) (rate(aggregator_transaction_duration_seconds_bucket{outcome="committed"}[${RATE}])))`,
            'transaction p50',
          ],
          [
            `histogram_quantile(0.99, sum by (le, section) (rate(aggregator_lock_wait_seconds_bucket[${RATE}])))`,
            'lock wait p99 {{section}}',
          ],
        ],
        { unit: 's', w: 12 },
      ),
    ],
  ),

  crm: dashboard(
    'crm-pipeline-crm',
    'CRM pipeline: CRM writes',
    'Requests, rate limits, breaker, tokens, calls per conversation.',
    [
      row('Requests'),
      panel(
        'CRM requests/s by status',
        'timeseries',
        [[`sum by (provider, status) (rate(crm_requests_total[${RATE}]))`, '{{provider}} {{status}}']],
        { unit: 'reqps', w: 12 },
      ),
      panel(
        'Rate-limited responses (429 / limit exceeded)',
        'timeseries',
        [[`sum by (provider) (rate(crm_rate_limited_total[${RATE}]))`, '{{provider}}']],
        { unit: 'reqps', w: 12 },
      ),
      panel(
        'Request duration p99 by operation',
        'timeseries',
        [
          [
            `histogram_quantile(0.99, sum by (le, provider, operation) (rate(crm_request_duration_seconds_bucket[${RATE}])))`,
            '{{provider}} {{operation}}',
          ],
        ],
        { unit: 's', w: 12 },
      ),
      panel(
        'Requests/s by operation',
        'timeseries',
        [[`sum by (provider, operation) (rate(crm_requests_total[${RATE}]))`, '{{provider}} {{operation}}']],
        { unit: 'reqps', w: 12 },
      ),
      row('Protection'),
      panel('Circuit breaker state', 'stat', [['max by (provider) (crm_breaker_state)', '{{provider}}']], {
        w: 8,
        extra: {
          defaults: breakerMappings.defaults,
          options: { colorMode: 'background', reduceOptions: { calcs: ['lastNotNull'] } },
        },
      }),
      panel(
        'Breaker state over time',
        'timeseries',
        [['max by (provider) (crm_breaker_state)', '{{provider}}']],
        { w: 8, extra: { defaults: breakerMappings.defaults } },
      ),
      panel(
        'Token refreshes by outcome',
        'timeseries',
        [
          [
            `sum by (provider, outcome) (increase(crm_token_refreshes_total[${RATE}]))`,
            '{{provider}} {{outcome}}',
          ],
        ],
        { w: 8 },
      ),
      row('Efficiency and results'),
      panel(
        'CRM calls per conversation',
        'timeseries',
        [
          [
            `sum(rate(crm_calls_per_conversation_sum[${RATE}])) / sum(rate(crm_calls_per_conversation_count[${RATE}]))`,
            'mean',
          ],
          [`histogram_quantile(0.99, sum by (le) (rate(crm_calls_per_conversation_bucket[${RATE}])))`, 'p99'],
        ],
        { w: 8, description: 'Targets (DESIGN §9): mean ≤ 1.5, p99 ≤ 3.' },
      ),
      panel(
        'Update results by outcome',
        'timeseries',
        [[`sum by (outcome) (rate(crm_update_results_total[${RATE}]))`, '{{outcome}}']],
        { unit: 'ops', w: 8 },
      ),
      panel(
        'Dead letters by reason',
        'timeseries',
        [[`sum by (reason) (increase(crm_dead_letters_total[${RATE}]))`, '{{reason}}']],
        { w: 8 },
      ),
      panel(
        'crm-writer consumer lag',
        'timeseries',
        [
          [
            'sum by (topic, partition) (kafka_consumer_lag{group=~"crm-writer.*"})',
            '{{topic}}[{{partition}}]',
          ],
        ],
        { w: 24 },
      ),
    ],
  ),

  extraction: dashboard(
    'crm-pipeline-extraction',
    'CRM pipeline: extraction',
    'Entities by type and outcome, rejection reasons, PCI redactions.',
    [
      row('Entities'),
      panel(
        'Entities/s by type and outcome',
        'timeseries',
        [
          [
            `sum by (entity_type, outcome) (rate(extractor_entities_total[${RATE}]))`,
            '{{entity_type}} {{outcome}}',
          ],
        ],
        { unit: 'ops', w: 12 },
      ),
      panel(
        'Entities by type (range)',
        'bargauge',
        [[`sum by (entity_type) (increase(extractor_entities_total[$__range]))`, '{{entity_type}}']],
        {
          w: 12,
          extra: { options: { orientation: 'horizontal', reduceOptions: { calcs: ['lastNotNull'] } } },
        },
      ),
      panel(
        'Rejections/s by reason',
        'timeseries',
        [[`sum by (reason) (rate(extractor_rejections_total[${RATE}]))`, '{{reason}}']],
        { unit: 'ops', w: 12 },
      ),
      panel(
        'Rejection reasons (range)',
        'piechart',
        [[`sum by (reason) (increase(extractor_rejections_total[$__range]))`, '{{reason}}']],
        {
          w: 12,
          extra: {
            options: {
              reduceOptions: { calcs: ['lastNotNull'] },
              legend: { displayMode: 'table', placement: 'right', values: ['value'] },
            },
          },
        },
      ),
      row('Processing'),
      panel(
        'PCI redactions (card numbers never emitted)',
        'timeseries',
        [[`sum(increase(extractor_pci_redactions_total[${RATE}]))`, 'redacted']],
        { w: 8 },
      ),
      panel('Processing duration', 'timeseries', quantiles('extractor_processing_duration_seconds'), {
        unit: 's',
        w: 8,
      }),
      panel(
        'Dead letters by reason',
        'timeseries',
        [[`sum by (reason) (increase(extractor_dead_letters_total[${RATE}]))`, '{{reason}}']],
        { w: 8 },
      ),
      panel(
        'Extractor lag by partition',
        'timeseries',
        [
          [
            'sum by (topic, partition) (kafka_consumer_lag{group=~"extractor.*"})',
            '{{topic}}[{{partition}}]',
          ],
        ],
        { w: 24 },
      ),
    ],
  ),
};

function render(name) {
  return `${JSON.stringify(dashboards[name], null, 2)}\n`;
}

module.exports = { dashboards, render };

if (require.main === module) {
  const out = join(__dirname, 'dashboards');
  for (const name of Object.keys(dashboards)) {
    writeFileSync(join(out, `${name}.json`), render(name));
    console.log(`wrote ${join(out, `${name}.json`)}`);
  }
}
