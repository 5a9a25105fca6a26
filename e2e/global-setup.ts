import type { TestProject } from 'vitest/node';
import { ensureWebBuild } from '../server/src/web-build.js';
import databaseTemplate from '../server/test/global-setup.js';

/**
 * The browser tests' setup, once per run before any file starts: the migrated database template
 * (as for every tier that needs a database) and, at the same time, the built web UI. Every e2e
 * server serves that one build (it is found by its sources' hash); without this the first files
 * to start their servers at once each built it, on a fresh checkout, at the cost of a build each.
 */
export default async function setup(project: TestProject) {
  const [teardown] = await Promise.all([databaseTemplate(project), ensureWebBuild(() => {})]);
  return teardown;
}
