import type { AckAssignment } from '../../services/page-acknowledgement.service.js';

/** The pages behind the acknowledge link of a page e-mail: small HTML for a person, every text escaped. */

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

function htmlPage(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(title)} · Firebreak</title><style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;line-height:1.5}button{font-size:1.1rem;padding:.6rem 1.4rem}</style></head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}

interface TicketHeading {
  number: string;
  title: string;
}

export const ackLinkNotValidPage = () =>
  htmlPage('This link does not work', '<p>It is not valid or has expired. Acknowledge the page in Firebreak instead.</p>');

/** What the link would acknowledge: a button that posts the token while the page runs, else its state. */
export function ackConfirmationPage(ticket: TicketHeading, page: { state: string; message: string }, token: string): string {
  const about = `<p><strong>${escapeHtml(ticket.number)}</strong>: ${escapeHtml(ticket.title)}</p><p>${escapeHtml(page.message)}</p>`;
  if (page.state !== 'triggered') return htmlPage(`This page is ${page.state}`, `${about}<p>Nothing more to do here.</p>`);
  return htmlPage(
    'Acknowledge this page?',
    `${about}<form method="post" action="/api/v1/pages/acknowledge"><input type="hidden" name="token" value="${escapeHtml(token)}"><button type="submit">Acknowledge</button></form>`,
  );
}

export function acknowledgedPage(ticket: TicketHeading, assignment: AckAssignment | null): string {
  const taken =
    assignment?.outcome === 'assigned'
      ? '<p>The ticket is now assigned to you.</p>'
      : assignment?.outcome === 'already_assigned'
        ? `<p>${escapeHtml(assignment.assigneeName)} stays the assignee.</p>`
        : '';
  return htmlPage(
    'Acknowledged',
    `<p><strong>${escapeHtml(ticket.number)}</strong>: ${escapeHtml(ticket.title)}</p><p>Escalation has stopped. Thank you.</p>${taken}`,
  );
}

export const notAcknowledgedPage = (reason: string) => htmlPage('Not acknowledged', `<p>${escapeHtml(reason)}</p>`);
