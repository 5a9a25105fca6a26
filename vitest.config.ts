import { defineConfig } from 'vitest/config';
import SlowTiersFirst from './server/test/slow-tiers-first.js';

/**
 * The tests in tiers, by what they touch (the file name says which):
 * - pure:     `*.test.ts` with no suffix — core rules, scripts, the web's pure helpers, and the few
 *             server tests that need no database. No global setup: they start in a second.
 * - database: `*.db.test.ts`, against a real engine (a clone of the run's migrated template).
 * - http:     `*.http.test.ts`, through `app.inject()` on a fresh database.
 * - process:  `*.process.test.ts`, real processes: the server, Debian's Alertmanager, dovecot, swaks.
 * - e2e:      `e2e/**`, Debian's chromium against the real server.
 * `npm test` runs them all; `npm run test:fast` runs pure + database (what a developer runs all
 * the time); `vitest run --project NAME` runs one tier. `.ci/run` runs `pure` once and the other
 * tiers on each engine, since only they depend on DATABASE_URL.
 * - web:      `web/src/**\/*.test.tsx`, the web's component tests in a DOM (happy-dom); run once
 *             like `pure`.
 *
 * `pure`, `database` (test:fast) and `http` share one module graph per worker between files
 * (`isolate: false`): loading the server's modules again for each file was about a third of
 * test:fast's CPU, and 85 of the http tier's 270 s of CPU (163 → 36 s on PGlite). Their files
 * keep no state in modules (each gets its own database, each http file builds its own app), and
 * the one module mock (`secrets.test.ts`) loads its module afresh and puts the real one back. The
 * database and http tiers also hand PGlite engines from file to file, reset to the template
 * (`provide: { reusePglite: true }`, server/test/pglite-reuse.ts). The process and e2e tiers
 * stay isolated: there a file's own processes dwarf the loading.
 */
const TIERS = ['db', 'http', 'process', 'e2e'] as const;
const tier = (name: (typeof TIERS)[number]) => [`core/**/*.${name}.test.ts`, `server/**/*.${name}.test.ts`, `scripts/**/*.${name}.test.ts`];
/** Migrates once per run; every test file that needs a database clones the result. */
const DATABASE_TEMPLATE = ['server/test/global-setup.ts'];

export default defineConfig({
  test: {
    // Two cores: two workers. Database tests each get their own database cloned from a template.
    maxWorkers: 2,
    // The longest tiers start first, so a run of several tiers does not end on one long file.
    sequence: { sequencer: SlowTiersFirst },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'pure',
          isolate: false,
          include: ['core/**/*.test.ts', 'server/**/*.test.ts', 'scripts/**/*.test.ts', 'web/src/**/*.test.ts'],
          exclude: ['**/node_modules/**', ...TIERS.flatMap(tier)],
        },
      },
      // The web's component tests: each file picks its DOM (`// @vitest-environment happy-dom`).
      { extends: true, test: { name: 'web', include: ['web/src/**/*.test.tsx'] } },
      {
        extends: true,
        test: { name: 'database', isolate: false, include: tier('db'), globalSetup: DATABASE_TEMPLATE, provide: { reusePglite: true } },
      },
      {
        extends: true,
        test: { name: 'http', isolate: false, include: tier('http'), globalSetup: DATABASE_TEMPLATE, provide: { reusePglite: true } },
      },
      { extends: true, test: { name: 'process', include: tier('process'), globalSetup: DATABASE_TEMPLATE } },
      // The e2e setup also builds the web UI once, which every e2e server then serves.
      // A browser story on a 2-core machine: each Playwright action keeps its own 30 s limit, so a
      // stuck step still fails on time; the whole test gets room for many slow-but-moving steps.
      {
        extends: true,
        test: { name: 'e2e', include: ['e2e/**/*.test.ts'], globalSetup: ['e2e/global-setup.ts'], testTimeout: 90_000 },
      },
    ],
  },
});
