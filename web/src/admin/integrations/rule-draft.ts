import type { RoutingRule } from '../../../../core/alerts/routing';
import type { AlertAction, AlertSeverity } from '../../../../core/vocabulary';

/** A routing rule as the form holds it: text in inputs, turned into the API's shape on save. */
export interface RuleDraft {
  name: string;
  severity: AlertSeverity[];
  labels: { key: string; name: string; values: string }[];
  action: AlertAction;
  serviceId: string;
  teamId: string;
  impact: string;
  urgency: string;
  autoResolve: boolean;
  groupBy: string;
  groupWindowMinutes: string;
  promoteCount: string;
  promoteMinutes: string;
}

const labelRow = (name = '', values = '') => ({ key: crypto.randomUUID(), name, values });

export function draftOf(rule: RoutingRule | null): RuleDraft {
  return {
    name: rule?.name ?? '',
    severity: rule?.match?.severity ?? [],
    labels: Object.entries(rule?.match?.labels ?? {}).map(([name, v]) => labelRow(name, Array.isArray(v) ? v.join(', ') : v)),
    action: rule?.action ?? 'incident',
    serviceId: rule?.serviceId ?? '',
    teamId: rule?.teamId ?? '',
    impact: rule?.impact ? String(rule.impact) : '',
    urgency: rule?.urgency ? String(rule.urgency) : '',
    autoResolve: rule?.autoResolve ?? true,
    groupBy: (rule?.groupBy ?? ['alertname', 'service']).join(', '),
    groupWindowMinutes: String(rule?.groupWindowMinutes ?? 5),
    promoteCount: rule?.promoteAfter ? String(rule.promoteAfter.count) : '',
    promoteMinutes: rule?.promoteAfter ? String(rule.promoteAfter.minutes) : '',
  };
}

export const newLabelRow = () => labelRow();

const list = (text: string) =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
const numberOr = (text: string) => (text.trim() === '' ? undefined : Number(text));

/**
 * The rule the API takes. Numbers typed as text go as numbers (a typo like "ten" reaches the
 * server as NaN → null and is refused there, by field), and empty choices are left out, so the
 * API's defaults apply.
 */
export function ruleOf(draft: RuleDraft): RoutingRule {
  const labels = Object.fromEntries(
    draft.labels
      .filter((l) => l.name.trim() !== '')
      .map((l) => {
        const values = list(l.values);
        return [l.name.trim(), values.length === 1 ? values[0] : values];
      }),
  );
  const match = {
    ...(draft.severity.length ? { severity: draft.severity } : {}),
    ...(Object.keys(labels).length ? { labels } : {}),
  };
  const opensTicket = draft.action !== 'ignore';
  const promote = draft.action === 'disturbance' && (draft.promoteCount.trim() || draft.promoteMinutes.trim());
  return {
    ...(draft.name.trim() ? { name: draft.name.trim() } : {}),
    ...(Object.keys(match).length ? { match } : {}),
    action: draft.action,
    ...(opensTicket && draft.serviceId ? { serviceId: draft.serviceId } : {}),
    ...(opensTicket && draft.teamId ? { teamId: draft.teamId } : {}),
    ...(opensTicket && draft.impact ? { impact: Number(draft.impact) as 1 | 2 | 3 } : {}),
    ...(opensTicket && draft.urgency ? { urgency: Number(draft.urgency) as 1 | 2 | 3 } : {}),
    autoResolve: draft.autoResolve,
    groupBy: list(draft.groupBy),
    groupWindowMinutes: numberOr(draft.groupWindowMinutes) ?? 5,
    ...(promote ? { promoteAfter: { count: Number(draft.promoteCount), minutes: Number(draft.promoteMinutes) } } : {}),
  };
}
