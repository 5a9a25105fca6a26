#!/usr/bin/env node
// The same as npm start: server/launch.mjs runs the CLI from JavaScript compiled from the
// TypeScript (made on first use, then reused), in this process, so signals reach the server directly.
await import('../server/launch.mjs');
