import type { RoutingRule } from './routing.js';

const LEVEL = { 1: 'high', 2: 'medium', 3: 'low' } as const;
const DEFAULT_GROUP_BY = ['alertname', 'service'];
const DEFAULT_GROUP_WINDOW = 5;

/** Names to show for the ids a rule holds (a deleted service or team shows as such). */
export interface RuleNames {
  service?: string | null;
  team?: string | null;
}

/** Which alerts a rule takes, in words: "Alerts with severity=critical and service=vpn", or "All alerts". */
export function describeMatch(rule: Pick<RoutingRule, 'match'>): string {
  const parts: string[] = [];
  const severity = rule.match?.severity;
  if (severity?.length) parts.push(`severity=${severity.join(' or ')}`);
  for (const [name, accepted] of Object.entries(rule.match?.labels ?? {})) {
    parts.push(`${name}=${Array.isArray(accepted) ? accepted.join(' or ') : accepted}`);
  }
  return parts.length === 0 ? 'All alerts' : `Alerts with ${parts.join(' and ')}`;
}

/**
 * What a routing rule does, as one plain sentence an admin can check against what they meant:
 * "Alerts with severity=critical and service=vpn open an incident on VPN for Network, impact
 * high, urgency high; it is resolved when its alerts resolve."
 */
export function describeRule(rule: RoutingRule, names: RuleNames = {}): string {
  const who = describeMatch(rule);
  if (rule.action === 'ignore') return `${who} are ignored: kept in the alert list, no ticket is opened.`;
  const what = rule.action === 'incident' ? 'open an incident' : 'are recorded as a disturbance';
  let sentence = `${who} ${what}`;
  if (rule.serviceId) sentence += ` on ${names.service ?? 'a service that no longer exists'}`;
  if (rule.teamId) sentence += ` for ${names.team ?? 'a team that no longer exists'}`;
  const impact = rule.impact ? `impact ${LEVEL[rule.impact]}` : 'impact medium';
  const urgency = rule.urgency ? `urgency ${LEVEL[rule.urgency]}` : 'urgency from the alert’s severity';
  sentence += `, ${impact}, ${urgency}`;
  const groupBy = rule.groupBy ?? DEFAULT_GROUP_BY;
  const window = rule.groupWindowMinutes ?? DEFAULT_GROUP_WINDOW;
  if (groupBy.join() !== DEFAULT_GROUP_BY.join() || window !== DEFAULT_GROUP_WINDOW) {
    sentence += groupBy.length
      ? `, grouped by ${groupBy.join(' and ')} within ${window} minute${window === 1 ? '' : 's'}`
      : ', each alert on its own ticket';
  }
  if (rule.action === 'disturbance' && rule.promoteAfter) {
    const { count, minutes } = rule.promoteAfter;
    sentence += `, promoted to an incident when more than ${count} alert${count === 1 ? '' : 's'} fire within ${minutes} minute${minutes === 1 ? '' : 's'}`;
  }
  sentence +=
    rule.autoResolve === false
      ? `; it stays open when its alerts resolve (a person resolves it).`
      : `; it is resolved when its alerts resolve, unless a person has worked on it.`;
  return sentence;
}
