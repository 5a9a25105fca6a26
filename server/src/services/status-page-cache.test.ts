import { describe, expect, it } from 'vitest';
import type { StatusPage } from './status-page.service.js';
import { cachedStatusPage } from './status-page-cache.js';

const pageNumber = (n: number) => ({ name: `page ${n}` }) as StatusPage;

/** A read the test finishes by hand, to see who waits for it. */
function manualReads() {
  const pending: ((page: StatusPage) => void)[] = [];
  let reads = 0;
  return {
    read: () =>
      new Promise<StatusPage>((resolve) => {
        reads += 1;
        const n = reads;
        pending.push(() => resolve(pageNumber(n)));
      }),
    finishNext: () => pending.shift()?.(pageNumber(0)),
    count: () => reads,
  };
}

describe('the status page cache', () => {
  it('serves one computation to every reader for maxAgeMs', async () => {
    let clock = 0;
    let reads = 0;
    const read = cachedStatusPage(async () => pageNumber(++reads), { maxAgeMs: 1000, monotonicNow: () => clock });
    expect((await read()).name).toBe('page 1');
    clock = 999;
    expect((await read()).name).toBe('page 1');
    expect(reads).toBe(1);
  });

  it('lets the first readers share one computation', async () => {
    const reads = manualReads();
    const read = cachedStatusPage(reads.read, { maxAgeMs: 1000, monotonicNow: () => 0 });
    const all = Promise.all([read(), read(), read()]);
    reads.finishNext();
    expect((await all).map((p) => p.name)).toEqual(['page 1', 'page 1', 'page 1']);
    expect(reads.count()).toBe(1);
  });

  it('keeps serving the older page while one recomputation runs, then the new one', async () => {
    let clock = 0;
    const reads = manualReads();
    const read = cachedStatusPage(reads.read, { maxAgeMs: 1000, monotonicNow: () => clock });
    const first = read();
    reads.finishNext();
    await first;
    clock = 1500;
    // Expired: nobody waits; one recomputation starts.
    expect((await read()).name).toBe('page 1');
    expect((await read()).name).toBe('page 1');
    expect(reads.count()).toBe(2);
    reads.finishNext();
    await new Promise((r) => setImmediate(r));
    expect((await read()).name).toBe('page 2');
  });

  it('reports a failed recomputation, keeps the page it has, and tries again on the next reader', async () => {
    let clock = 0;
    let fail = false;
    let reads = 0;
    const errors: unknown[] = [];
    const read = cachedStatusPage(
      async () => {
        reads += 1;
        if (fail) throw new Error('database down');
        return pageNumber(reads);
      },
      { maxAgeMs: 1000, monotonicNow: () => clock, onRefreshError: (err) => errors.push(err) },
    );
    await read();
    clock = 2000;
    fail = true;
    expect((await read()).name).toBe('page 1');
    await new Promise((r) => setImmediate(r));
    expect(errors.map(String)).toEqual(['Error: database down']);
    fail = false;
    await read();
    await new Promise((r) => setImmediate(r));
    expect((await read()).name).toBe('page 3');
  });

  it('computes for every reader with maxAgeMs 0', async () => {
    let reads = 0;
    const read = cachedStatusPage(async () => pageNumber(++reads), { maxAgeMs: 0 });
    await read();
    await read();
    expect(reads).toBe(2);
  });
});
