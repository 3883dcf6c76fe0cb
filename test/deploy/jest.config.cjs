// Static checks of deploy/, docker-compose.yml and the Dockerfile (no Docker engine needed):
// docker-compose config, kustomize render + schema validation, promtool, dashboard checks.
const { unitConfig } = require('../../jest.preset.js');

module.exports = { ...unitConfig(__dirname, 'deploy'), testTimeout: 60_000 };
