import type { KpiId } from './catalogue.js';
import { type CalendarOf, type DurationKpi, timeToAcknowledge, timeToResolve } from './durations.js';
import type { KpiPeriod, KpiTicket } from './kpi-ticket.js';
import { type MajorIncidentsKpi, majorIncidents, type SatisfactionKpi, satisfaction } from './people.js';
import { firstContactResolution, type RateKpi, reassignmentRate, reopenRate, type SlaKpi, slaCompliance } from './rates.js';
import { type BacklogAgeKpi, backlogAge, type CreatedResolvedKpi, createdVsResolved, type OpenWorkKpi, openWork } from './volume.js';

export interface KpiResults {
  'open-work': OpenWorkKpi;
  'created-vs-resolved': CreatedResolvedKpi;
  'backlog-age': BacklogAgeKpi;
  'time-to-acknowledge': DurationKpi;
  'time-to-resolve': DurationKpi;
  'sla-compliance': SlaKpi;
  'first-contact-resolution': RateKpi;
  'reassignment-rate': RateKpi;
  'reopen-rate': RateKpi;
  satisfaction: SatisfactionKpi;
  'major-incidents': MajorIncidentsKpi;
}

export interface KpiInput {
  /** The tickets the report's filter selects. */
  tickets: readonly KpiTicket[];
  period: KpiPeriod;
  /** "Now" for the snapshots (open work, backlog age). */
  now: Date;
  /** The time zone days are counted in. */
  timeZone: string;
  calendarOf: CalendarOf;
}

/** Every KPI by its definition: the reference the SQL is tested against. */
export function computeKpi<K extends KpiId>(id: K, input: KpiInput): KpiResults[K] {
  const { tickets, period } = input;
  const all: { [P in KpiId]: () => KpiResults[P] } = {
    'open-work': () => openWork(tickets),
    'created-vs-resolved': () => createdVsResolved(period, tickets, input.timeZone),
    'backlog-age': () => backlogAge(tickets, input.now),
    'time-to-acknowledge': () => timeToAcknowledge(period, tickets, input.calendarOf),
    'time-to-resolve': () => timeToResolve(period, tickets, input.calendarOf),
    'sla-compliance': () => slaCompliance(period, tickets),
    'first-contact-resolution': () => firstContactResolution(period, tickets),
    'reassignment-rate': () => reassignmentRate(period, tickets),
    'reopen-rate': () => reopenRate(period, tickets),
    satisfaction: () => satisfaction(period, tickets),
    'major-incidents': () => majorIncidents(period, tickets),
  };
  return all[id]();
}
