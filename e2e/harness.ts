import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, vi } from 'vitest';
import type { Role } from '../core/vocabulary.js';
import { PGLITE_EXTENSIONS } from '../server/src/db/client.js';
import { testEngine } from '../server/test/database.js';
import { exited, SERVER_START_CEILING_MS, type ServerProcess, startServerProcess } from '../server/test/server-process.js';
import { freshServerStorage } from '../server/test/server-storage.js';

// A file's beforeAll starts the server: give it the start's own ceiling (plus sign-in and seeding),
// not the default hook timeout, so that a slow start on a loaded machine is waited for, not failed.
export const STARTUP_TIMEOUT = SERVER_START_CEILING_MS + 60_000;
vi.setConfig({ hookTimeout: STARTUP_TIMEOUT });

/** Debian's chromium, driven by playwright-core: never a downloaded browser. */
export const CHROMIUM = '/usr/bin/chromium';
/** Without chromium the browser tests are skipped locally; in CI (CI=true) they run and fail loudly. */
export const browserTestsOff = !fs.existsSync(CHROMIUM) && !process.env.CI;
export const ARTIFACTS = path.resolve(import.meta.dirname, 'artifacts');
export const PASSWORD = 'e2e-password-2026';
export const ADMIN = { email: 'admin@e2e.test', password: PASSWORD };

export interface Firebreak {
  url: string;
  /** Calls the API as the first admin (an API token), failing loudly on any error. */
  // biome-ignore lint/suspicious/noExplicitAny: tests read API answers loosely, asserting what they need
  api<T = any>(method: string, apiPath: string, body?: unknown): Promise<T>;
  /** Stops the server process (browsers see it go away); `start` brings it back on the same port and data. */
  kill(): Promise<void>;
  /** `settings` are added to the environment from this start on (e.g. turning e-mail out on). */
  start(settings?: Record<string, string>): Promise<void>;
  stop(): Promise<void>;
  /**
   * Runs one SQL statement on the server's database, for set-up no API offers (e.g. moving a
   * stored time into the past). On PGlite the server is stopped for it
   * (the folder has one owner) and started again on the same port and data.
   */
  sql(statement: string): Promise<void>;
}

/**
 * The real server, as `npm start` runs it (web UI built and served), on the engine under test;
 * `settings` adds environment settings (e.g. the SMTP listener's port).
 */
export async function startFirebreak(settings: Record<string, string> = {}): Promise<Firebreak> {
  const cleanups: (() => Promise<void> | void)[] = [];
  const env: Record<string, string> = {
    FIREBREAK_WEB_UI: 'on',
    FIREBREAK_ADMIN_EMAIL: ADMIN.email,
    FIREBREAK_ADMIN_PASSWORD: ADMIN.password,
    ...settings,
  };
  // A clone of the run's migrated template (a new database from the template database, or a
  // copy of a migrated PGlite folder): the server finds nothing left to migrate.
  Object.assign(env, await freshServerStorage('e2e', cleanups));
  let server: ServerProcess = await startServerProcess(env);
  const url = server.url.replace('localhost', '127.0.0.1');
  env.PORT = new URL(url).port; // a restart comes back where the browsers look for it
  const signIn = await fetch(`${url}/api/v1/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(ADMIN),
  }).catch((err: Error) => {
    // A server that said it was running and then refused: say whether it died, and what it printed.
    const state = server.child.exitCode === null ? 'still running' : `exited with ${server.child.exitCode}`;
    throw new Error(`admin sign-in at ${url} failed (${err.cause ?? err.message}); the server is ${state}:\n${server.output()}`);
  });
  if (signIn.status !== 200) throw new Error(`admin sign-in failed: ${signIn.status} ${await signIn.text()}\n${server.output()}`);
  const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0];
  const created = await fetch(`${url}/api/v1/api-tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({ name: 'e2e' }),
  });
  const token = ((await created.json()) as { token: string }).token;
  return {
    url,
    async api(method, apiPath, body) {
      const res = await fetch(`${url}/api/v1${apiPath}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      if (res.status >= 400) throw new Error(`${method} ${apiPath} → ${res.status}: ${text}`);
      return text ? JSON.parse(text) : undefined;
    },
    async kill() {
      server.child.kill('SIGTERM');
      await exited(server.child);
    },
    async start(more = {}) {
      Object.assign(env, more);
      server = await startServerProcess(env);
    },
    async sql(statement) {
      if (env.DATABASE_URL) {
        const client = new pg.Client({ connectionString: env.DATABASE_URL });
        await client.connect();
        try {
          await client.query(statement);
        } finally {
          await client.end();
        }
        return;
      }
      server.child.kill('SIGTERM');
      await exited(server.child);
      const db = await PGlite.create({ dataDir: path.join(env.FIREBREAK_DATA_DIR, 'pglite'), extensions: PGLITE_EXTENSIONS });
      try {
        await db.exec(statement);
      } finally {
        await db.close();
      }
      server = await startServerProcess(env);
    },
    async stop() {
      if (server.child.exitCode === null) {
        server.child.kill('SIGTERM');
        await exited(server.child);
      }
      for (const cleanup of cleanups.reverse()) await cleanup();
    },
  };
}

export interface BrowserSuite {
  fb: Firebreak;
  browser: Browser;
}

/**
 * The one setup of an e2e file: before its tests, the real server (with `settings`, or what a
 * function returns when they are known only once earlier hooks ran) and a browser, then `seed`
 * with both (the file keeps them and adds its people, teams … through the API); after its
 * tests, both are stopped, whichever of them started. The hook waits as long as a start may take.
 */
export function useFirebreak(
  settings: Record<string, string> | (() => Record<string, string>),
  seed: (started: BrowserSuite) => Promise<void>,
): void {
  let fb: Firebreak | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    fb = await startFirebreak(typeof settings === 'function' ? settings() : settings);
    browser = await launchBrowser();
    await seed({ fb, browser });
  }, STARTUP_TIMEOUT);
  afterAll(async () => {
    await browser?.close();
    await fb?.stop();
  });
}

/** A person who can sign in (with PASSWORD) in the browser; `more` adds fields of POST /users. */
export function addPerson(
  fb: Firebreak,
  email: string,
  name: string,
  role: Role,
  more: Record<string, unknown> = {},
  // biome-ignore lint/suspicious/noExplicitAny: tests read API answers loosely, asserting what they need
): Promise<any> {
  return fb.api('POST', '/users', { email, name, role, password: PASSWORD, ...more });
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

/** The phone width every page must fit (issue 12: no horizontal scrolling anywhere at 390 px). */
export const PHONE = { width: 390, height: 844 };

/**
 * Asserts the page as it is now fits a phone: `document.scrollingElement.scrollWidth <=
 * innerWidth` at 390 px (the viewport is narrowed for the check and put back). On failure it
 * names the widest elements that stick out, which is where the fix goes.
 */
export async function expectFitsPhone(page: Page, what = new URL(page.url()).pathname): Promise<void> {
  const before = page.viewportSize();
  if (before?.width !== PHONE.width) await page.setViewportSize(PHONE);
  try {
    // Two frames: the layout at the new width has been computed and painted.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    const measured = (await page.evaluate(`(() => {
      const width = window.innerWidth;
      const scrollWidth = document.scrollingElement.scrollWidth;
      const wide = [...document.querySelectorAll('body *')]
        .map((el) => ({ el, right: el.getBoundingClientRect().right }))
        .filter(({ el, right }) => right > width + 1 && getComputedStyle(el).position !== 'fixed' && el.closest('[hidden], dialog:not([open])') === null)
        .sort((a, b) => b.right - a.right)
        .slice(0, 4)
        .map(({ el, right }) => el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '') + ' ' + Math.round(right) + ' px');
      return { width, scrollWidth, wide };
    })()`)) as { width: number; scrollWidth: number; wide: string[] };
    if (measured.scrollWidth > measured.width) {
      throw new Error(
        `${what} is ${measured.scrollWidth} px wide on a ${measured.width} px phone; sticking out: ${measured.wide.join(', ')}`,
      );
    }
  } finally {
    if (before && before.width !== PHONE.width) await page.setViewportSize(before);
  }
}

/**
 * Waits until the page has settled: the app marks `<html data-ready="true">` once no query is
 * fetching, nothing is being saved and no page's code is still on its way
 * (web/src/app/ReadinessMark.tsx), and the fonts and images that could still widen the page have
 * loaded.
 */
export async function settled(page: Page): Promise<void> {
  await page.waitForFunction(
    () =>
      document.documentElement.dataset.ready === 'true' &&
      document.fonts.status === 'loaded' &&
      [...document.images].every((image) => image.complete),
  );
}

/**
 * Where the page is once it has settled. `goto` returns when the document has loaded, before the
 * app's own redirects (`/` → `/desk` → `/desk/queue/unassigned`, a requester sent to the portal)
 * have run, so the address it leaves is the one asked for, not the page shown. A redirect lands
 * on a page that fetches its own data, so the address counts once the app has settled on it.
 */
export async function settledAddress(page: Page): Promise<string> {
  // A redirect decided in the render that ended the last fetch moves on a frame later; a chain of
  // them is a few hops at most.
  for (let hop = 0; hop < 5; hop++) {
    await settled(page);
    const at = page.url();
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    await settled(page);
    if (page.url() === at) return at;
  }
  return page.url();
}

/**
 * What was already checked at 390 px in this test file: addresses a person asked for, and the
 * pages they landed on (after redirects). A page is loaded and measured once per file.
 */
const checkedOnPhone = new Set<string>();

/**
 * Every page a test's browser visited, revisited at 390 px by the same person when its window is
 * closed, so the whole e2e suite checks that no page scrolls sideways on a phone (and leaves a
 * phone screenshot of each: phone-<path>.png). An address that redirects (`/`, `/desk`) counts as
 * the page it lands on.
 */
async function checkVisitedPagesOnPhone(
  context: BrowserContext,
  { person, side }: { person: string; side: string },
  visited: Set<string>,
): Promise<void> {
  const unchecked = [...visited].filter((url) => !checkedOnPhone.has(`${person} ${url}`));
  if (unchecked.length === 0) return;
  const phone = await context.browser()?.newContext({ viewport: PHONE, storageState: await context.storageState() });
  if (!phone) return;
  try {
    const page = await phone.newPage();
    const problems: string[] = [];
    for (const url of unchecked) {
      if (checkedOnPhone.has(`${person} ${url}`)) continue; // a redirect already led here
      await page.goto(url);
      checkedOnPhone.add(`${person} ${url}`);
      // Where it landed is measured once for everyone who lands in the same part of the app after
      // signing in (two agents see the same queue; a requester at a desk address sees a refusal).
      const landed = (await settledAddress(page)).replace(/#.*$/, '');
      if (checkedOnPhone.has(`${side} ${landed}`)) continue;
      checkedOnPhone.add(`${side} ${landed}`);
      try {
        await expectFitsPhone(page, new URL(landed).pathname);
      } catch (err) {
        problems.push((err as Error).message);
      }
      const name = new URL(landed).pathname
        .replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, 'id')
        .replace(/[^a-z0-9]+/gi, '-')
        .replace(/^-|-$/g, '');
      await screenshot(page, `phone-${name || 'home'}`);
    }
    if (problems.length > 0) throw new Error(`Pages wider than a phone:\n${problems.join('\n')}`);
  } finally {
    await phone.close();
  }
}

/** A browser window signed in as this person; page errors fail the test that reads `errors`. */
export async function signedIn(
  browser: Browser,
  baseUrl: string,
  email: string,
  options: { viewport?: { width: number; height: number }; colorScheme?: 'light' | 'dark'; browserTimeZone?: string } = {},
): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1440, height: 900 },
    colorScheme: options.colorScheme ?? 'light',
    ...(options.browserTimeZone ? { timezoneId: options.browserTimeZone } : {}),
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  // Each page visited (the path, with its query: a queue's filters) is checked at 390 px when the window closes.
  const visited = new Set<string>();
  page.on('framenavigated', (frame) => {
    if (frame !== page.mainFrame()) return;
    const url = new URL(frame.url());
    if (url.origin === new URL(baseUrl).origin && !url.pathname.startsWith('/sign-in') && !url.pathname.startsWith('/api/')) {
      visited.add(url.toString().replace(/#.*$/, ''));
    }
  });
  // The part of the app the person lands in after signing in (desk or portal): pages are alike for everyone there.
  let side = '';
  const close = context.close.bind(context);
  context.close = async (options) => {
    try {
      await checkVisitedPagesOnPhone(context, { person: email, side }, visited);
    } finally {
      await close(options);
    }
  };
  await page.goto(`${baseUrl}/sign-in`);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));
  // Signing in goes to `/` (or the page asked for), which redirects into the person's side: the
  // first address past the sign-in page that is not `/` says which.
  await page.waitForURL((u) => !u.pathname.startsWith('/sign-in') && u.pathname !== '/');
  side = new URL(page.url()).pathname.split('/')[1] ?? '';
  return { context, page, errors };
}

/** Saves a screenshot as a test artifact (e2e/artifacts/<engine>/<name>.png) to look at. */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = path.join(ARTIFACTS, testEngine());
  fs.mkdirSync(dir, { recursive: true });
  // A full-page picture of a scrolled page draws the sticky top bar where the window was, in the
  // middle of the page: take it from the top, then put the scroll back for the test's next step.
  const scrolledTo = await page.evaluate(() => window.scrollY);
  if (scrolledTo > 0) await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
  if (scrolledTo > 0) await page.evaluate((y) => window.scrollTo(0, y), scrolledTo);
}

const AXE_SOURCE = fs.readFileSync(path.resolve(import.meta.dirname, '../node_modules/axe-core/axe.min.js'), 'utf8');

/** axe-core's serious and critical findings on the page as it is now. */
export async function accessibilityProblems(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol: the page's CSP (rightly) refuses injected script tags.
  await page.evaluate(AXE_SOURCE);
  const result = (await page.evaluate(async () => {
    // biome-ignore lint/suspicious/noExplicitAny: axe is injected at run time
    const axe = (window as any).axe;
    return axe.run(document, { resultTypes: ['violations'] });
  })) as { violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] };
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.impact}: ${v.id} — ${v.help} (${v.nodes
          .map((n) => n.target.join(' '))
          .slice(0, 3)
          .join('; ')})`,
    );
}
