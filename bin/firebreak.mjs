#!/usr/bin/env node
// Runs the TypeScript CLI in this process through tsx, so there is no build step between
// `npm install` and use, and signals reach the server directly.
import { register } from 'tsx/esm/api';

register();
await import('../server/src/cli.ts');
