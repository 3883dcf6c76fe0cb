// One-shot for docker-compose: set the registry's global compatibility to BACKWARD (Confluent's
// default; Apicurio checks nothing by default), as tools/local-stack does. Retries until a deadline.
'use strict';
const url = `${process.env.SCHEMA_REGISTRY_URL || 'http://schema-registry:8081/apis/ccompat/v7'}/config`;
const deadline = Date.now() + 120_000;
async function attempt() {
  const response = await fetch(url, {
    method: 'PUT',
    headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
    body: JSON.stringify({ compatibility: 'BACKWARD' }),
    signal: AbortSignal.timeout(5000),
  });
  if (!response.ok) throw new Error(`${response.status} ${await response.text()}`);
}
(function loop() {
  attempt().then(
    () => console.log(`registry compatibility BACKWARD at ${url}`),
    (error) => {
      if (Date.now() > deadline) {
        console.error(`registry refused BACKWARD: ${error.message}`);
        process.exit(1);
      }
      setTimeout(loop, 2000);
    },
  );
})();
