/**
 * `npm run bench:ui`: the agent workspace on a big desk. PostgreSQL with BENCH_UI_TICKETS
 * (50,000) seeded tickets, about a fifth of them open; Debian's chromium signs in as an admin
 * and opens the "All open" queue. Printed beside baselines from the same run: the same page's
 * shell without data (the sign-in page) and the API call behind the first screen, alone.
 */
import pg from 'pg';
import { chromium } from 'playwright-core';
import { ADMIN } from './firebreak-api.js';
import { killAllStarted, startFirebreak } from './firebreak-process.js';
import { type Sql, seedTickets } from './seed.js';

const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const TICKETS = Number(process.env.BENCH_UI_TICKETS ?? 50_000);
const RUNS = 5;
const ROWS_TO_SCROLL = 2000;

async function admin(sql: string) {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const name = `firebreak_bench_ui_${process.pid}`;
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  const env = { DATABASE_URL: url.toString(), FIREBREAK_ADMIN_EMAIL: ADMIN.email, FIREBREAK_ADMIN_PASSWORD: ADMIN.password };
  try {
    // First start migrates (and builds the UI if needed); then seed with SQL while it is stopped.
    await (await startFirebreak(env)).stop();
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    await seedTickets(client as unknown as Sql, TICKETS);
    const open = (await client.query(`SELECT count(*)::int AS n FROM tickets WHERE state IN ('new','assigned','in_progress','on_hold')`))
      .rows[0].n;
    await client.end();
    const server = await startFirebreak(env);
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-dev-shm-usage'] });
    try {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
      const page = await context.newPage();
      await page.goto(`${server.url}/sign-in`);
      await page.getByLabel('E-mail').fill(ADMIN.email);
      await page.getByLabel('Password').fill(ADMIN.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));

      const shell: number[] = [];
      const firstRows: number[] = [];
      const apiAlone: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        let t = performance.now();
        await page.goto(`${server.url}/sign-in?bench=${i}`);
        await page.getByRole('button', { name: 'Sign in' }).waitFor();
        shell.push(performance.now() - t);

        t = performance.now();
        await page.goto(`${server.url}/desk/queue/open`);
        await page.locator('.queue-row').first().waitFor();
        firstRows.push(performance.now() - t);

        apiAlone.push(
          await page.evaluate(async () => {
            const started = performance.now();
            const res = await fetch('/api/v1/tickets?state=open&sort=priority&limit=100');
            await res.json();
            return performance.now() - started;
          }),
        );
      }

      // Scroll through the queue until ROWS_TO_SCROLL tickets are loaded: pages arrive as the list moves.
      const t = performance.now();
      // As a string: tsx would wrap a function's inner arrows in a helper the page does not have.
      const loaded = (await page.evaluate(`(async () => {
        const queue = document.querySelector('.queue');
        const count = () => Number((/^(\\d+)/.exec(document.querySelector('[aria-live="polite"]')?.textContent ?? '0') ?? [0, 0])[1]);
        while (count() < ${ROWS_TO_SCROLL}) {
          queue.scrollTop = queue.scrollHeight;
          await new Promise((r) => setTimeout(r, 16));
        }
        return count();
      })()`)) as number;
      const scrollMs = performance.now() - t;
      const rendered = await page.locator('.queue-row').count();

      console.log(
        `\nThe agent workspace on ${TICKETS.toLocaleString()} tickets (${open.toLocaleString()} open), PostgreSQL, chromium 1440×900, median of ${RUNS}:`,
      );
      console.log(`  "All open" queue, navigation → first rows shown:   ${median(firstRows).toFixed(0)} ms`);
      console.log(`  baseline: the sign-in page (no data), same way:     ${median(shell).toFixed(0)} ms`);
      console.log(`  baseline: the API call behind it (100 tickets):     ${median(apiAlone).toFixed(0)} ms`);
      console.log(
        `  scrolling until ${loaded.toLocaleString()} tickets are loaded: ${scrollMs.toFixed(0)} ms; rows in the DOM at the end: ${rendered} (virtualised)`,
      );
    } finally {
      await browser.close();
      await server.stop();
    }
  } finally {
    killAllStarted();
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

main().catch((err) => {
  console.error(err);
  killAllStarted();
  process.exit(1);
});
