import { type Cell, csvLine } from '../../../../core/kpis/csv.js';
import type { ExportedTicket } from '../../services/ticket-export.service.js';
import { presentTicket, presentTimelineEvent } from './tickets.presenter.js';

/** One line of the JSON lines export: the ticket as the API shows it, with its timeline. */
export function ticketJsonLine(item: ExportedTicket): string {
  const { allowedMoves: _moves, ...ticket } = presentTicket(item.view);
  return `${JSON.stringify({ ...ticket, timeline: (item.timeline ?? []).map(presentTimelineEvent) })}\n`;
}

/** The queue's columns, as a spreadsheet reads them; user text passes the formula-safe cell writer. */
const CSV_COLUMNS: [header: string, cell: (item: ExportedTicket) => Cell][] = [
  ['number', (i) => i.view.ticket.number],
  ['kind', (i) => i.view.ticket.kind],
  ['title', (i) => i.view.ticket.title],
  ['state', (i) => i.view.ticket.state],
  ['priority', (i) => i.view.ticket.priority],
  ['impact', (i) => i.view.ticket.impact],
  ['urgency', (i) => i.view.ticket.urgency],
  ['requester', (i) => i.view.requesterName],
  ['assignee', (i) => i.view.assigneeName],
  ['team', (i) => i.view.teamName],
  ['service', (i) => i.view.serviceName],
  ['category', (i) => i.view.categoryName],
  ['channel', (i) => i.view.ticket.channel],
  ['opened_at', (i) => i.view.ticket.openedAt],
  ['first_response_at', (i) => i.view.ticket.firstResponseAt],
  ['resolved_at', (i) => i.view.ticket.resolvedAt],
  ['closed_at', (i) => i.view.ticket.closedAt],
  ['updated_at', (i) => i.view.ticket.updatedAt],
  ['sla_due_at', (i) => i.view.ticket.slaDueAt],
  ['reassignment_count', (i) => i.view.ticket.reassignmentCount],
  ['reopen_count', (i) => i.view.ticket.reopenCount],
  ['resolution_code', (i) => i.view.ticket.resolutionCode],
  ['id', (i) => i.view.ticket.id],
];

export const TICKET_CSV_HEADER = csvLine(CSV_COLUMNS.map(([header]) => header));

export function ticketCsvLine(item: ExportedTicket): string {
  return csvLine(CSV_COLUMNS.map(([, cell]) => cell(item)));
}
