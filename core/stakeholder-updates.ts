/**
 * Stakeholder updates (issue 15 items 4–6): what an update says (templates per stage with
 * variables), whom it reaches (audiences), and when the desk should send one (evaluation points).
 * Pure: the composer service gathers the facts, these rules decide.
 */
import { textTemplates } from './text-template.js';

/** Where an incident stands, as its updates say it (Statuspage's words, plus maintenance). */
export const UPDATE_STAGES = ['investigating', 'identified', 'monitoring', 'resolved', 'maintenance'] as const;
export type UpdateStage = (typeof UPDATE_STAGES)[number];

export const UPDATE_STAGE_LABELS: Record<UpdateStage, string> = {
  investigating: 'Investigating',
  identified: 'Identified',
  monitoring: 'Monitoring',
  resolved: 'Resolved',
  maintenance: 'Maintenance',
};

/** The variables a template may use, written `{name}`; each has words for the admin page. */
export const TEMPLATE_VARIABLES = {
  service: 'the affected service (or services)',
  incident_number: 'the incident number, e.g. INC0001042',
  title: 'the incident title',
  priority: 'the priority, e.g. P1',
  started_at: 'when the incident started (UTC)',
  next_update_at: 'when the next update is due (UTC), or "when there is news"',
} as const;
export type TemplateVariable = keyof typeof TEMPLATE_VARIABLES;
export const TEMPLATE_VARIABLE_NAMES = Object.keys(TEMPLATE_VARIABLES) as TemplateVariable[];

export type UpdateTemplates = Record<UpdateStage, string>;

export const DEFAULT_UPDATE_TEMPLATES: UpdateTemplates = {
  investigating:
    'We are investigating a disruption of {service} that started at {started_at}. We will post the next update by {next_update_at}.',
  identified: 'We have identified the cause of the disruption of {service} and are working on a fix. Next update by {next_update_at}.',
  monitoring: 'A fix for {service} is in place and we are monitoring the result. Next update by {next_update_at}.',
  resolved: '{service} is working normally again. The disruption that started at {started_at} is resolved. Thank you for your patience.',
  maintenance: 'Planned maintenance of {service} is in progress. Next update by {next_update_at}.',
};

const templates = textTemplates(TEMPLATE_VARIABLES);

/** The `{names}` in a text that are not variables, each once, in the order they appear. */
export const unknownVariables = templates.unknownVariables;
/** The text with every known variable replaced; unknown ones are left as written (the caller refuses them first). */
export const renderTemplate = templates.render;
export const unknownVariablesMessage = templates.unknownVariablesMessage;

/** Admin input: every stage has a non-empty template of known variables. */
export function templateProblems(templates: UpdateTemplates): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  for (const stage of UPDATE_STAGES) {
    const unknown = unknownVariables(templates[stage]);
    if (unknown.length > 0) problems.push({ field: stage, message: unknownVariablesMessage(unknown) });
  }
  return problems;
}

/**
 * The audiences every incident has. `public`: the status page, the requester portal and the
 * incident's requesters and followers (children's requesters follow their parent) all read the
 * desk's public comments, so a public update reaches them together. `role_holders`: the people
 * holding a response role now.
 */
export const BUILT_IN_AUDIENCES = ['public', 'role_holders'] as const;
export type BuiltInAudience = (typeof BUILT_IN_AUDIENCES)[number];
export const BUILT_IN_AUDIENCE_LABELS: Record<BuiltInAudience, string> = {
  public: 'Status page, affected requesters and followers',
  role_holders: 'Response role holders',
};

export function isBuiltInAudience(id: string): id is BuiltInAudience {
  return (BUILT_IN_AUDIENCES as readonly string[]).includes(id);
}

/** Moments at which the desk decides whom to tell (seeds 001/002). */
export const EVALUATION_POINTS = ['declared', 'scope_changed', 'priority_changed', 'resolved'] as const;
export type EvaluationPoint = (typeof EVALUATION_POINTS)[number];
export const EVALUATION_POINT_LABELS: Record<EvaluationPoint, string> = {
  declared: 'The major incident was declared',
  scope_changed: 'The scope changed',
  priority_changed: 'The priority changed',
  resolved: 'The incident was resolved',
};

export interface TimelineFact {
  type: string;
  at: Date;
  changes: { field: string; from: unknown; to: unknown }[] | null;
}

function pointOf(event: TimelineFact): EvaluationPoint | null {
  if (event.type === 'major_declared') return 'declared';
  if (event.type === 'scope_changed') return 'scope_changed';
  if (event.changes?.some((c) => c.field === 'priority')) return 'priority_changed';
  if (event.type === 'state_changed' && event.changes?.some((c) => c.field === 'state' && c.to === 'resolved')) return 'resolved';
  return null;
}

/**
 * The evaluation point still waiting for an update: the latest one on the timeline with no
 * stakeholder update after it. Events are in timeline order; an update at the same instant as
 * the point (sent with it) answers it.
 */
export function pendingEvaluationPoint(events: readonly TimelineFact[]): { point: EvaluationPoint; at: Date } | null {
  let pending: { point: EvaluationPoint; at: Date } | null = null;
  for (const event of events) {
    if (event.type === 'stakeholder_update') {
      pending = null;
      continue;
    }
    const point = pointOf(event);
    if (point) pending = { point, at: event.at };
  }
  return pending;
}
