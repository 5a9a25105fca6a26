import { describe, expect, it } from 'vitest';
import type { AutomationRuleT } from '../api/endpoints/automation';
import { EMPTY_FORM, formFieldOf, formOf, ruleOf } from './automation-form';

const saved = (rule: ReturnType<typeof ruleOf>): AutomationRuleT =>
  ({ ...rule, id: 'r', position: 1, disabledReason: null, version: 1, updatedAt: '2026-01-01T00:00:00Z', updatedBy: null }) as never;

describe('the automation form', () => {
  it('saves what the admin chose and shows it again the same way', () => {
    const form = {
      ...EMPTY_FORM,
      name: 'Payroll first',
      serviceId: 'svc',
      priorities: [2, 1],
      contains: ' payslip ',
      assignTeamId: 'team',
      cannedReplyId: 'reply',
      followerId: 'lee',
    };
    const rule = ruleOf(form);
    expect(rule.conditions).toEqual([
      { op: 'in', field: 'service', values: ['svc'] },
      { op: 'in', field: 'priority', values: [1, 2] },
      { op: 'contains', text: 'payslip' },
    ]);
    expect(rule.actions).toEqual([
      { type: 'assign', teamId: 'team' },
      { type: 'reply', cannedReplyId: 'reply' },
      { type: 'add_followers', userIds: ['lee'] },
    ]);
    expect(formOf(saved(rule))).toEqual({ ...form, priorities: [1, 2], contains: 'payslip' });
  });

  it('keeps the conditions and actions it does not offer, and names the form field the server blamed', () => {
    const rule = ruleOf({ ...EMPTY_FORM, name: 'x', assignTeamId: 't' });
    const withExtras = saved({
      ...rule,
      conditions: [{ op: 'not_in', field: 'urgency', values: [3] }],
      actions: [...rule.actions, { type: 'notify', userIds: ['a', 'b'] }],
    });
    const form = formOf(withExtras);
    expect(form.extraConditions).toHaveLength(1);
    expect(form.extraActions).toEqual([{ type: 'notify', userIds: ['a', 'b'] }]);
    expect(ruleOf(form).conditions).toEqual(withExtras.conditions);
    expect(formFieldOf('actions.0.teamId', rule)).toBe('assignTeamId');
  });

  it('saves the organisation, working hours, fair assignment, problem, page and webhook, and shows them again', () => {
    const form = {
      ...EMPTY_FORM,
      name: 'ACME after hours',
      organisation: 'ACME',
      hoursCalendarId: 'office',
      hoursInside: false,
      assignTeamId: 'network',
      assignFairly: 'least_loaded' as const,
      problemId: 'prb',
      pagePolicyId: 'nights',
      pageMessage: 'Wake up',
      webhookId: 'hook',
    };
    const rule = ruleOf(form);
    expect(rule.conditions).toEqual([
      { op: 'in', field: 'organisation', values: ['ACME'] },
      { op: 'working_hours', calendarId: 'office', inside: false },
    ]);
    expect(rule.actions).toEqual([
      { type: 'assign', teamId: 'network' },
      { type: 'assign_fairly', strategy: 'least_loaded' },
      { type: 'link_problem', problemId: 'prb' },
      { type: 'page', escalationPolicyId: 'nights', message: 'Wake up' },
      { type: 'webhook', webhookId: 'hook' },
    ]);
    expect(formOf(saved(rule))).toEqual(form);
    const idle = ruleOf({ ...EMPTY_FORM, trigger: 'idle', idleHours: '12', assignTeamId: 't' });
    expect(idle.trigger).toEqual({ on: 'idle', hours: 12 });
    expect(formOf(saved(idle)).idleHours).toBe('12');
    expect(formFieldOf('trigger.hours', idle)).toBe('idleHours');
    // "The team's own way" is fair assignment without a strategy.
    expect(ruleOf({ ...EMPTY_FORM, assignFairly: 'team' }).actions).toEqual([{ type: 'assign_fairly' }]);
    expect(formFieldOf('conditions.1.calendarId', rule)).toBe('hoursCalendarId');
    expect(formFieldOf('actions.2.problemId', rule)).toBe('problemId');
    expect(formFieldOf('actions.3.message', rule)).toBe('pageMessage');
    expect(formFieldOf('actions.4.webhookId', rule)).toBe('webhookId');
  });
});
