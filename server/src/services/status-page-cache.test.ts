import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { StatusPage } from './status-page.service.js';
import { cachedStatusPage, type StatusPageCacheOptions } from './status-page-cache.js';

const T0 = new Date('2026-03-02T10:00:00Z');

/** A page computation numbered in order, read at the domain clock's now, with manual statuses ending at `overrideEnds`. */
function world(overrideEnds: Date[] = []) {
  const state = {
    reads: 0,
    readVersions: [] as string[],
    versionReads: 0,
    version: 'v1',
    now: T0,
    monotonic: 0,
    prepared: [] as string[],
    failing: false,
  };
  const errors: unknown[] = [];
  const options: StatusPageCacheOptions = {
    read: async () => {
      if (state.failing) throw new Error('database down');
      state.reads += 1;
      state.readVersions.push(state.version);
      return {
        name: `page ${state.reads}`,
        readAt: state.now,
        components: overrideEnds.map((until) => ({ override: { until, reason: 'verifying the fix' } })),
      } as unknown as StatusPage;
    },
    version: async () => {
      state.versionReads += 1;
      return state.version;
    },
    prepare: async (page) => {
      state.prepared.push(page.name);
    },
    checkEveryMs: 250,
    safetyCheckEveryMs: 10_000,
    minIntervalMs: 1000,
    maxAgeMs: 60_000,
    monotonicNow: () => state.monotonic,
    now: () => state.now,
    onRefreshError: (err) => errors.push(err),
  };
  return { state, errors, cache: cachedStatusPage(options) };
}

/** Time passes for both clocks and for the check loop's timers. */
async function pass(w: ReturnType<typeof world>, ms: number) {
  w.state.monotonic += ms;
  w.state.now = new Date(w.state.now.getTime() + ms);
  await vi.advanceTimersByTimeAsync(ms);
}

describe('the status page cache', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('lets the first readers share one computation, prepared before they get it', async () => {
    const w = world();
    const pages = await Promise.all([w.cache.read(), w.cache.read(), w.cache.read()]);
    expect(pages.map((p) => p.name)).toEqual(['page 1', 'page 1', 'page 1']);
    expect(w.state.reads).toBe(1);
    expect(w.state.prepared).toEqual(['page 1']);
    w.cache.close();
  });

  it('does not recompute while nothing the page shows changed, however many read it', async () => {
    const w = world();
    await w.cache.read();
    for (let i = 0; i < 20; i++) {
      await pass(w, 500);
      expect((await w.cache.read()).name).toBe('page 1');
    }
    expect(w.state.reads).toBe(1);
    w.cache.close();
  });

  it('does not read the fingerprint at every check: announcements say when to recompute', async () => {
    const w = world();
    await w.cache.read();
    await pass(w, 9_750);
    expect(w.state.versionReads).toBe(1);
    w.cache.close();
  });

  it('recomputes after an announced change in the background: readers get the old page until the new one is prepared', async () => {
    const w = world();
    await w.cache.read();
    await pass(w, 1000);
    w.state.version = 'v2';
    w.cache.wake();
    // Readers never compute: until the loop has run the old page is served.
    expect((await w.cache.read()).name).toBe('page 1');
    expect(w.state.reads).toBe(1);
    await pass(w, 0);
    expect((await w.cache.read()).name).toBe('page 2');
    expect(w.state.prepared).toEqual(['page 1', 'page 2']);
    // One change, one computation.
    await pass(w, 5000);
    expect(w.state.reads).toBe(2);
    w.cache.close();
  });

  it('still finds a change nothing announced, at the safety check of the fingerprint', async () => {
    const w = world();
    await w.cache.read();
    w.state.version = 'v2';
    await pass(w, 9_750);
    expect(w.state.reads).toBe(1);
    await pass(w, 250);
    expect((await w.cache.read()).name).toBe('page 2');
    w.cache.close();
  });

  it('recomputes after maxAgeMs with no change (an open outage’s figures move with time)', async () => {
    const w = world();
    await w.cache.read();
    await pass(w, 59_750);
    expect(w.state.reads).toBe(1);
    await pass(w, 250);
    expect((await w.cache.read()).name).toBe('page 2');
    w.cache.close();
  });

  it('recomputes when a manual status ends, with no write to announce it', async () => {
    const w = world([new Date(T0.getTime() + 2_000)]);
    await w.cache.read();
    await pass(w, 1_750);
    expect(w.state.reads).toBe(1);
    await pass(w, 250);
    expect((await w.cache.read()).name).toBe('page 2');
    w.cache.close();
  });

  it('reports a failed recomputation, keeps serving the page it has, and tries again at the next check', async () => {
    const w = world();
    await w.cache.read();
    w.state.version = 'v2';
    w.state.failing = true;
    w.cache.wake();
    await pass(w, 1000);
    expect((await w.cache.read()).name).toBe('page 1');
    expect(w.errors.map(String)).toEqual(['Error: database down']);
    w.state.failing = false;
    // Retried once per interval, not at every check.
    await pass(w, 750);
    expect(w.errors).toHaveLength(1);
    await pass(w, 250);
    expect((await w.cache.read()).name).toBe('page 2');
    w.cache.close();
  });

  it('computes at most once a second while the desk posts every 200 ms, and shows the last post within 2 s', async () => {
    const w = world();
    await w.cache.read();
    for (let post = 1; post <= 50; post++) {
      w.state.version = `post ${post}`;
      w.cache.wake();
      await pass(w, 200);
    }
    // 10 s of posting: about ten computations, not fifty (nor one per check).
    expect(w.state.reads).toBeLessThanOrEqual(11);
    expect(w.state.reads).toBeGreaterThanOrEqual(9);
    await pass(w, 2000);
    expect(w.state.readVersions.at(-1)).toBe('post 50');
    const settled = w.state.reads;
    await pass(w, 10_000);
    expect(w.state.reads).toBe(settled);
  });

  it('stops checking once closed', async () => {
    const w = world();
    await w.cache.read();
    w.cache.close();
    w.state.version = 'v2';
    w.cache.wake();
    await pass(w, 20_000);
    expect(w.state.reads).toBe(1);
  });
});
