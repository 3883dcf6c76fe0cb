// Test-only entry point (`@crm/genesys/testing`): a Genesys Cloud-compatible fake server.
export * from './testing/fake-conversation';
export * from './testing/genesys-fake';
