// Container HEALTHCHECK: GET /health/live on the service's port (PORT, else the service default).
// Plain Node (no curl in the slim image); exits 0 when live, 1 otherwise.
'use strict';
const DEFAULT_PORTS = {
  ingest: 3000,
  extractor: 3001,
  aggregator: 3002,
  'crm-writer': 3003,
  'crm-simulator': 3100,
};
const port = process.env.PORT || DEFAULT_PORTS[process.env.SERVICE_NAME] || 3000;
fetch(`http://127.0.0.1:${port}/health/live`, { signal: AbortSignal.timeout(2500) }).then(
  (response) => process.exit(response.ok ? 0 : 1),
  () => process.exit(1),
);
