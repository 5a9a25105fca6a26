import { z } from 'zod';
import { ALERT_ACTIONS, ALERT_SEVERITIES, type AlertAction, type Level } from '../vocabulary.js';
import type { NormalisedAlert } from './normalised-alert.js';

const LevelValue = z.union([z.literal(1), z.literal(2), z.literal(3)], { error: 'must be 1 (high), 2 (medium) or 3 (low)' });
const LabelName = z.string().min(1).max(200);

/**
 * One routing rule of an integration. Rules are ordered; the first whose `match` fits decides.
 * `match.labels` maps a label to a value or a list of accepted values (all must fit);
 * `match.severity` lists accepted severities. No `match` matches everything.
 */
export const RoutingRule = z.strictObject({
  name: z.string().trim().max(200).optional(),
  match: z
    .strictObject({
      labels: z.record(LabelName, z.union([z.string().max(1000), z.array(z.string().max(1000)).min(1).max(100)])).optional(),
      severity: z.array(z.enum(ALERT_SEVERITIES)).min(1).optional(),
    })
    .optional(),
  action: z.enum(ALERT_ACTIONS, { error: 'must be "ignore", "disturbance" or "incident"' }),
  serviceId: z.uuid({ error: 'must be an id (UUID)' }).optional(),
  teamId: z.uuid({ error: 'must be an id (UUID)' }).optional(),
  impact: LevelValue.optional(),
  urgency: LevelValue.optional(),
  /** When every alert on the ticket has resolved, resolve the ticket (unless a person has worked it). */
  autoResolve: z.boolean().default(true),
  /** Labels whose values together name a group: alerts of one group attach to one ticket. */
  groupBy: z.array(LabelName).max(20).default(['alertname', 'service']),
  /** A new alert joins its group's open ticket if the group was seen this recently. */
  groupWindowMinutes: z.number().int().min(0).max(10_080).default(5),
  /** Disturbances only: promote to an incident when more than `count` alerts fired on it within `minutes`. */
  promoteAfter: z.strictObject({ count: z.number().int().min(1).max(100_000), minutes: z.number().int().min(1).max(10_080) }).optional(),
});
export type RoutingRule = z.output<typeof RoutingRule>;

/**
 * With no rules (or none matching), an integration opens incidents that resolve with their
 * alerts: medium impact, urgency from the alert's severity (critical is urgent).
 */
export const DEFAULT_RULE: RoutingRule = {
  name: 'default',
  action: 'incident',
  impact: 2,
  autoResolve: true,
  groupBy: ['alertname', 'service'],
  groupWindowMinutes: 5,
};

export interface RouteDecision {
  action: AlertAction;
  rule: RoutingRule;
  /** Position of the rule among the integration's rules; null for the default rule. */
  ruleIndex: number | null;
  groupKey: string;
}

export function ruleMatches(rule: RoutingRule, alert: Pick<NormalisedAlert, 'labels' | 'severity'>): boolean {
  const match = rule.match;
  if (!match) return true;
  if (match.severity && !match.severity.includes(alert.severity)) return false;
  for (const [name, accepted] of Object.entries(match.labels ?? {})) {
    const value = alert.labels[name];
    if (value === undefined) return false;
    if (Array.isArray(accepted) ? !accepted.includes(value) : accepted !== value) return false;
  }
  return true;
}

/** The first matching rule decides; no match (or no rules) falls back to the default rule. */
export function decideRoute(
  rules: readonly RoutingRule[],
  alert: Pick<NormalisedAlert, 'labels' | 'severity' | 'fingerprint'>,
): RouteDecision {
  const index = rules.findIndex((rule) => ruleMatches(rule, alert));
  const rule = index >= 0 ? rules[index] : DEFAULT_RULE;
  return { action: rule.action, rule, ruleIndex: index >= 0 ? index : null, groupKey: groupKeyOf(rule, alert, index) };
}

/**
 * The group an alert belongs to: the rule's position and its groupBy label values. An alert
 * that has none of the groupBy labels is a group of its own (its fingerprint), so unrelated
 * alerts never merge just because they lack labels.
 */
export function groupKeyOf(rule: RoutingRule, alert: Pick<NormalisedAlert, 'labels' | 'fingerprint'>, ruleIndex: number): string {
  const values = rule.groupBy.map((name) => alert.labels[name] ?? '');
  if (values.every((v) => v === '')) return `r${ruleIndex}|fp:${alert.fingerprint}`;
  return `r${ruleIndex}|${JSON.stringify(values)}`;
}

/** The rule at a position among an integration's rules; the default rule for none (or one since removed). */
export function ruleAt(rules: readonly RoutingRule[], index: number | null): RoutingRule {
  return index === null ? DEFAULT_RULE : (rules[index] ?? DEFAULT_RULE);
}

export function ticketImpactUrgency(rule: RoutingRule, severity: NormalisedAlert['severity']): { impact: Level; urgency: Level } {
  // Without a rule's own levels, severity picks the urgency: critical pages are urgent.
  const bySeverity: Record<NormalisedAlert['severity'], Level> = { critical: 1, error: 2, warning: 2, info: 3 };
  return { impact: rule.impact ?? 2, urgency: rule.urgency ?? bySeverity[severity] };
}
