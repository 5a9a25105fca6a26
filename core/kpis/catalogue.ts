/**
 * The KPIs Firebreak reports, each with the one-line definition people read beside the figure
 * (the dashboard, the README, the API docs). The computation behind each id lives in this folder
 * as a pure function of tickets; the reports repository computes the same in SQL, and tests hold
 * the two equal on generated tickets.
 */
export const KPI_IDS = [
  'open-work',
  'created-vs-resolved',
  'backlog-age',
  'time-to-acknowledge',
  'time-to-resolve',
  'sla-compliance',
  'first-contact-resolution',
  'reassignment-rate',
  'reopen-rate',
  'satisfaction',
  'major-incidents',
] as const;
export type KpiId = (typeof KPI_IDS)[number];

export interface KpiDescription {
  label: string;
  definition: string;
}

export const KPIS: Record<KpiId, KpiDescription> = {
  'open-work': {
    label: 'Open work',
    definition: 'Tickets open now (new, assigned, in progress, on hold), by priority and state.',
  },
  'created-vs-resolved': {
    label: 'Created and resolved per day',
    definition: 'Per day of the period: tickets opened that day, and tickets resolved that day.',
  },
  'backlog-age': {
    label: 'Backlog age',
    definition: 'Open tickets now, by how long ago they were opened.',
  },
  'time-to-acknowledge': {
    label: 'Time to acknowledge',
    definition: 'First staff response − opened, over tickets first answered in the period; mean and median, wall-clock and business hours.',
  },
  'time-to-resolve': {
    label: 'Time to resolve',
    definition: 'Resolved − opened, over tickets resolved in the period; mean and median, wall-clock and business hours.',
  },
  'sla-compliance': {
    label: 'SLA compliance',
    definition: 'Share of tickets resolved in the period under an SLA policy with no target breached.',
  },
  'first-contact-resolution': {
    label: 'First-contact resolution',
    definition: 'Share of tickets resolved in the period never reassigned, never reopened, with at most one public staff reply.',
  },
  'reassignment-rate': {
    label: 'Reassignment rate',
    definition: 'Share of tickets resolved in the period that were reassigned at least once.',
  },
  'reopen-rate': {
    label: 'Reopen rate',
    definition: 'Share of tickets resolved in the period that were reopened at least once.',
  },
  satisfaction: {
    label: 'Satisfaction',
    definition: 'Requester ratings (1–5) given in the period: how many, the mean, and the share rating 4 or 5.',
  },
  'major-incidents': {
    label: 'Major incidents',
    definition: 'Incidents declared major in the period, each with its time to resolve (resolved − opened).',
  },
};
