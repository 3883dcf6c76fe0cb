#!/usr/bin/env node
// The `replay` bin: runs the tool's TypeScript entry through @swc-node/register, as `nx serve` does.
const { join } = require('node:path');

process.env.SWC_NODE_PROJECT = process.env.SWC_NODE_PROJECT || join(__dirname, '../tsconfig.app.json');
require('@swc-node/register');
require('../src/main.ts');
