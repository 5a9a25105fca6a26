import { describe, expect, it } from 'vitest';
import { describeMatch, describeRule } from './describe-rule.js';
import { RoutingRule } from './routing.js';

const rule = (input: unknown) => RoutingRule.parse(input);

describe('a routing rule in plain words', () => {
  it('names what it matches, what it opens, where and how urgent', () => {
    const r = rule({
      match: { severity: ['critical'], labels: { service: 'vpn' } },
      action: 'incident',
      serviceId: '00000000-0000-4000-8000-000000000001',
      teamId: '00000000-0000-4000-8000-000000000002',
      impact: 1,
      urgency: 1,
    });
    expect(describeRule(r, { service: 'VPN', team: 'Network' })).toBe(
      'Alerts with severity=critical and service=vpn open an incident on VPN for Network, impact high, urgency high; it is resolved when its alerts resolve, unless a person has worked on it.',
    );
  });

  it('says when a disturbance is promoted, when grouping differs and when nothing resolves by itself', () => {
    const r = rule({
      match: { severity: ['warning', 'info'], labels: { env: ['prod', 'staging'] } },
      action: 'disturbance',
      promoteAfter: { count: 10, minutes: 15 },
      groupBy: ['alertname'],
      groupWindowMinutes: 1,
      autoResolve: false,
    });
    expect(describeRule(r)).toBe(
      'Alerts with severity=warning or info and env=prod or staging are recorded as a disturbance, impact medium, urgency from the alert’s severity, grouped by alertname within 1 minute, promoted to an incident when more than 10 alerts fire within 15 minutes; it stays open when its alerts resolve (a person resolves it).',
    );
  });

  it('covers every alert, ignoring, each alert on its own, and names that no longer exist', () => {
    expect(describeMatch(rule({ action: 'ignore' }))).toBe('All alerts');
    expect(describeRule(rule({ match: { labels: { env: 'test' } }, action: 'ignore' }))).toBe(
      'Alerts with env=test are ignored: kept in the alert list, no ticket is opened.',
    );
    expect(describeRule(rule({ action: 'incident', groupBy: [], serviceId: '00000000-0000-4000-8000-000000000001' }))).toContain(
      'open an incident on a service that no longer exists, impact medium, urgency from the alert’s severity, each alert on its own ticket',
    );
  });
});
