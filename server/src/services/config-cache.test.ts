import { describe, expect, it } from 'vitest';
import { ConfigCache } from './config-cache.js';

/** A load the test finishes when it chooses, to interleave it with announcements and listener outages. */
function pendingLoad<T>(value: T) {
  let finish: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const load = async () => {
    await done;
    return value;
  };
  return { load, finish };
}

describe('the configuration cache', () => {
  it('keeps what it read and serves it again without loading', async () => {
    const cache = new ConfigCache();
    let loads = 0;
    const load = async () => {
      loads++;
      return 'matrix v1';
    };
    expect(await cache.read('settings', 'matrix', load)).toBe('matrix v1');
    expect(await cache.read('settings', 'matrix', load)).toBe('matrix v1');
    expect(loads).toBe(1);
  });

  it('does not keep a read that a change of its table overtook', async () => {
    const cache = new ConfigCache();
    const slow = pendingLoad('before the change');
    const reading = cache.read('sla_policies', 'policies', slow.load);
    cache.changed('sla_policies');
    slow.finish();
    expect(await reading).toBe('before the change');
    expect(await cache.read('sla_policies', 'policies', async () => 'after the change')).toBe('after the change');
  });

  it('does not keep a read begun before the listener was lost, even for a table never seen changing', async () => {
    const cache = new ConfigCache();
    const slow = pendingLoad('read before the outage');
    const reading = cache.read('webhook_subscriptions', 'active', slow.load);
    // Announcements sent while nobody listened are missed: the read may predate one of them.
    cache.suspend();
    cache.resume();
    slow.finish();
    expect(await reading).toBe('read before the outage');
    expect(await cache.read('webhook_subscriptions', 'active', async () => 'read after')).toBe('read after');
  });

  it('reads straight from the database while nobody listens, keeping nothing', async () => {
    const cache = new ConfigCache();
    cache.suspend();
    let loads = 0;
    const load = async () => {
      loads++;
      return 'rules';
    };
    await cache.read('automation_rules', 'enabled', load);
    await cache.read('automation_rules', 'enabled', load);
    expect(loads).toBe(2);
  });
});
