import { describe, expect, it } from 'vitest';
import { HEALTHY_LIFETIME_MS, quickDeathsAfter, restartDelayMs } from './restart-backoff.js';

describe('restarting a worker that died', () => {
  it('waits 1 s after a first death, doubling while it keeps dying quickly, never more than 30 s', () => {
    let deaths = 0;
    const delays: number[] = [];
    for (let i = 0; i < 8; i++) {
      deaths = quickDeathsAfter(deaths, 200);
      delays.push(restartDelayMs(deaths));
    }
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
  });

  it('starts over for a worker that served a minute before dying', () => {
    expect(quickDeathsAfter(6, HEALTHY_LIFETIME_MS)).toBe(1);
    expect(restartDelayMs(quickDeathsAfter(6, HEALTHY_LIFETIME_MS))).toBe(1_000);
    expect(quickDeathsAfter(6, HEALTHY_LIFETIME_MS - 1)).toBe(7);
  });
});
