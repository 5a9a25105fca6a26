import { describe, expect, it } from 'vitest';
import { autoResolveBlocker, shouldPromote } from './auto-resolve.js';
import { DEFAULT_RULE, decideRoute, RoutingRule } from './routing.js';

const alert = (labels: Record<string, string>, severity: 'critical' | 'error' | 'warning' | 'info' = 'warning') => ({
  labels,
  severity,
  fingerprint: JSON.stringify(labels),
});

describe('routing rules', () => {
  const rules = [
    RoutingRule.parse({ name: 'drop test env', match: { labels: { env: 'test' } }, action: 'ignore' }),
    RoutingRule.parse({ match: { severity: ['info', 'warning'] }, action: 'disturbance', groupBy: ['alertname'] }),
    RoutingRule.parse({ match: { labels: { service: ['checkout', 'payments'] } }, action: 'incident', impact: 1, urgency: 1 }),
  ];

  it('takes the first rule that matches, in order', () => {
    expect(decideRoute(rules, alert({ env: 'test', service: 'checkout' }, 'critical')).action).toBe('ignore');
    expect(decideRoute(rules, alert({ service: 'checkout' }, 'warning'))).toMatchObject({ action: 'disturbance', ruleIndex: 1 });
    expect(decideRoute(rules, alert({ service: 'payments' }, 'critical'))).toMatchObject({ action: 'incident', ruleIndex: 2 });
  });

  it('falls back to the default rule (incident) when nothing matches or there are no rules', () => {
    expect(decideRoute(rules, alert({ service: 'email' }, 'critical'))).toMatchObject({
      action: 'incident',
      ruleIndex: null,
      rule: DEFAULT_RULE,
    });
    expect(decideRoute([], alert({})).action).toBe('incident');
  });

  it("groups by the rule's labels: same alertname and service share a key; no labels means a group of one", () => {
    const a = decideRoute([], alert({ alertname: 'HighLatency', service: 'checkout', instance: 'a' }));
    const b = decideRoute([], alert({ alertname: 'HighLatency', service: 'checkout', instance: 'b' }));
    const c = decideRoute([], alert({ alertname: 'HighLatency', service: 'payments' }));
    expect(a.groupKey).toBe(b.groupKey);
    expect(a.groupKey).not.toBe(c.groupKey);
    expect(decideRoute([], alert({ x: '1' })).groupKey).not.toBe(decideRoute([], alert({ x: '2' })).groupKey);
  });

  it('refuses a rule with an unknown action or field, naming it', () => {
    expect(RoutingRule.safeParse({ action: 'page' }).error?.issues[0].path).toEqual(['action']);
    expect(RoutingRule.safeParse({ action: 'ignore', colour: 'red' }).success).toBe(false);
  });
});

describe('auto-resolve guard', () => {
  const bot = 'bot';
  it('allows resolving when only monitoring and Firebreak itself touched the ticket', () => {
    expect(
      autoResolveBlocker(
        [
          { type: 'created', actorId: bot },
          { type: 'alert', actorId: bot },
          { type: 'sla_warning', actorId: null },
        ],
        bot,
      ),
    ).toBeNull();
  });

  it('refuses once a person has assigned, commented or moved it', () => {
    for (const type of ['assigned', 'comment', 'work_note', 'state_changed', 'field_changed'] as const) {
      expect(
        autoResolveBlocker(
          [
            { type: 'created', actorId: bot },
            { type, actorId: 'alice' },
          ],
          bot,
        ),
      ).toMatch(/person/);
    }
  });

  it('refuses once monitoring itself reopened it (flapping): no resolve/reopen loop', () => {
    const reopened = { type: 'state_changed' as const, actorId: bot, changes: [{ field: 'state', from: 'resolved', to: 'in_progress' }] };
    expect(autoResolveBlocker([{ type: 'created', actorId: bot }, reopened], bot)).toMatch(/flapping/);
  });
});

describe('promotion by rule', () => {
  const now = new Date('2026-03-02T08:10:00Z');
  const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);
  it('promotes when more than N alerts fired within M minutes, not at N', () => {
    const rule = { count: 3, minutes: 10 };
    expect(shouldPromote([1, 2, 3].map(minutesAgo), now, rule)).toBe(false);
    expect(shouldPromote([1, 2, 3, 4].map(minutesAgo), now, rule)).toBe(true);
    expect(shouldPromote([1, 2, 3, 30].map(minutesAgo), now, rule)).toBe(false);
  });
});
