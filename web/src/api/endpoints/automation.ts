import type { z } from 'zod';
import type {
  AutomationDryRunBody,
  AutomationDryRunResult,
  AutomationRule,
  SaveAutomationRule,
} from '../../../../core/contracts/automation.js';
import { request } from '../client';
import type { ListT } from '../types';

// Automation rules (issue 18 item 1): admins only.

export type AutomationRuleT = z.infer<typeof AutomationRule>;
export type SaveAutomationRuleIn = z.input<typeof SaveAutomationRule>;
export type DryRunIn = z.input<typeof AutomationDryRunBody>;
export type DryRunT = z.infer<typeof AutomationDryRunResult>;

export const automationRulesKey = ['automation-rules'] as const;

export const list = () => request<ListT<AutomationRuleT>>('GET', '/automation/rules');
export const create = (body: SaveAutomationRuleIn) => request<AutomationRuleT>('POST', '/automation/rules', body);
export const update = (id: string, version: number, body: SaveAutomationRuleIn) =>
  request<AutomationRuleT>('PUT', `/automation/rules/${id}`, body, { ifMatch: version });
export const remove = (id: string) => request<null>('DELETE', `/automation/rules/${id}`);
export const reorder = (ids: string[]) => request<ListT<AutomationRuleT>>('POST', '/automation/rules/order', { ids });
export const dryRun = (body: DryRunIn) => request<DryRunT>('POST', '/automation/rules/dry-run', body);

/** The webhooks a rule may send to (admins see them all; the URL is not needed to choose one). */
export const webhooksKey = ['webhooks'] as const;
export const webhooks = () => request<ListT<{ id: string; name: string; active: boolean }>>('GET', '/webhooks');
